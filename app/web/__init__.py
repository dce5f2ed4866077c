"""HTML pages for people: the overview at `/` and one page per meeting at `/meetings/{id}`."""
