"""Stored files (evidence, background reports) sent back to the person who may have them.

The application streams the file itself, after the permission check, rather than redirecting
to a short-lived presigned URL of the object store. Why (measured in docs/scaling.md): the
store stays on the private network with no public name, TLS or CORS of its own; the
security headers of a download (attachment, nosniff, a sandboxing CSP, no-store) are ours on
every answer; and no URL that works without signing in ever leaves the application (a
presigned URL works for anyone who has it until it expires: forwarded, in a proxy log, in the
browser's history). The price is a web process busy for the length of each download.

With an S3 store the object is read from the GET's own body in blocks, so the first bytes
leave before the last arrive and memory stays at one block whatever the size; django-storages'
own `open()` would first copy the whole object into memory.
"""

from botocore.exceptions import ClientError
from django.core.files.storage import default_storage
from django.http import FileResponse

BLOCK_BYTES = 256 * 1024  # one read from the store, one chunk to the client


def is_object_storage(storage=None) -> bool:
    """True when files live in an S3 bucket (django-storages), not on this machine's disk."""
    from storages.backends.s3 import S3Storage

    return isinstance(storage or default_storage, S3Storage)


def open_stored(name: str, storage=None):
    """The stored file `name` opened for reading in blocks, and its size in bytes (None when
    unknown). Raises FileNotFoundError when the file is not there."""
    storage = storage or default_storage
    if not is_object_storage(storage):
        handle = storage.open(name, "rb")
        return handle, storage.size(name)
    from storages.utils import clean_name

    try:
        answer = storage.connection.meta.client.get_object(
            Bucket=storage.bucket_name, Key=storage._normalize_name(clean_name(name))
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
            raise FileNotFoundError(name) from error
        raise
    return answer["Body"], answer.get("ContentLength")


def stored_file_response(name: str, *, filename: str, content_type: str) -> FileResponse:
    """An attachment answer streaming the stored file `name`. Call it only after the
    permission check. Raises FileNotFoundError when the file is not there."""
    handle, size = open_stored(name)
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response.block_size = BLOCK_BYTES
    if size is not None:
        response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
