"""Small matplotlib helpers the report pages share (below writers, clinical and trend)."""
from __future__ import annotations

import io


def figure_png(fig, plt, dpi: int) -> bytes:
    """Lay out, render to PNG bytes and close a figure."""
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()


def style_cycle_axes(ax, title: str) -> None:
    """Axes of an angle curve over the gait cycle (0–100 %, degrees)."""
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("% of gait cycle (0 = heel strike)")
    ax.set_ylabel("degrees")
    ax.set_xlim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
