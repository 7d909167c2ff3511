"""Reports built from comparisons and histories: the review, the customer notice, the feed
entries and the outline, as data that :mod:`termstool.render` turns into text."""
