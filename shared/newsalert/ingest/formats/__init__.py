"""One reader per input format: RSS/Atom and JSON Feed documents, raw text and HTML article files, pushed JSON."""
