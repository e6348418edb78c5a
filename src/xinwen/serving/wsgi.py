"""What `xinwen.wsgi` puts between the server and Django's handler for every page it renders."""

from __future__ import annotations

from django.http import HttpResponse

__all__ = ["in_one_piece"]


def in_one_piece(application):
    """Hand a rendered page (an HttpResponse, not a stream or a file) to the server as a one-item list.

    An HttpResponse is an iterable with a close(): granian then runs the iterator protocol
    from its own threads, taking the GIL for each step and again for close(). The body is
    in memory already, so the list costs nothing and the server sends it in one call (2–4 %
    of a page-cache miss's worker CPU, bench/pages.py). close() still runs, just before the
    bytes leave: it ends the request for Django (request_finished closes the connections).
    Streaming and file responses (media, static files) go through untouched.
    """

    def serve(environ, start_response):
        response = application(environ, start_response)
        if type(response) is HttpResponse:
            try:
                return [response.content]
            finally:
                response.close()
        return response

    return serve
