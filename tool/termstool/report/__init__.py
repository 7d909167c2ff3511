"""Reports built from comparisons and histories, as data: the review, the customer notice,
the feed and the outline, with the sentences their renderings share.
:mod:`termstool.render` turns them into Markdown, text, HTML or Atom."""
