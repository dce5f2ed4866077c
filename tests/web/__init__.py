"""Tests of `app/web`: the HTML pages and their SVG charts."""
