"""The open-data document, as a public page."""

from django.http import Http404, HttpResponse

from opendata.document import OpenDataError, dumps
from opendata.export import export_document
from uppfoljning.public import public_page


@public_page()
def document(request):
    """The whole published follow-up in the uppfoljning/1 open-data format."""
    try:
        document = export_document()
    except OpenDataError:
        raise Http404 from None
    response = HttpResponse(dumps(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="uppfoljning.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
