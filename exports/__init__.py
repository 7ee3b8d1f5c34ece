"""Documents made from published content: a goal, a body or a whole plan as PDF, Word and
Excel, as of any published period.

- ``content.py``: what a page shows, as plain data (goal_content, body_content,
  plan_content), in a fixed number of queries, only what is published;
- ``pdf.py``, ``docx.py``, ``xlsx.py``: one module per format, each a function from that
  content to bytes (WeasyPrint, loaded lazily; python-docx; openpyxl);
- ``views.py``, ``urls.py``: /export/plan/<plan>/mal/<n>.pdf and the like, ?per=<period>;
- templates/exports/: the PDF's HTML and the "Exportera" links for the pages.
"""
