"""From a parsed transcript to what is stored: the rendered text with turn spans (`render`), the excerpts cut from
respondent turns (`segment`), and the document attributes read from metadata.csv (`metadata`)."""
