"""Git and the file system: the only code that reads repositories or writes files.

``gitrepo`` is the one module that imports git; ``files`` writes atomically."""
