"""`gaitpose label`: a local web page for labelling the 8 joints on frames of a clinic's own videos."""
