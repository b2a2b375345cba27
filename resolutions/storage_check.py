"""A Django system check: when files go to an S3 bucket, the bucket must exist and accept the
key, or `manage.py check` / `migrate` (and so every start-up that runs them) stops with a
clear error instead of the first upload answering 500. Nothing is checked on the local disk."""

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from django.conf import settings
from django.core.checks import Error, register
from django.core.files.storage import default_storage

from .storage import is_object_storage

REFUSED = {
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
    "403",
}
MISSING = {"NoSuchBucket", "404"}


def _client(storage):
    timeout = getattr(settings, "S3_CHECK_TIMEOUT_SECONDS", 5)
    return boto3.session.Session().client(
        "s3",
        endpoint_url=storage.endpoint_url,
        region_name=storage.region_name,
        aws_access_key_id=storage.access_key,
        aws_secret_access_key=storage.secret_key,
        aws_session_token=storage.security_token,
        config=Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"total_max_attempts": 1},
            signature_version=storage.signature_version,
            s3={"addressing_style": storage.addressing_style},
        ),
    )


def bucket_problem(storage) -> Error | None:
    """What is wrong with the storage's bucket, as a check error, or None when it answers."""
    bucket = storage.bucket_name
    where = storage.endpoint_url or "Amazon S3"
    try:
        _client(storage).list_objects_v2(Bucket=bucket, MaxKeys=1)
    except NoCredentialsError:
        return Error(
            f"No credentials for the object store at {where}.",
            hint="Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or give the host a role).",
            id="resolutions.E101",
        )
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code in MISSING:
            return Error(
                f"The bucket “{bucket}” does not exist at {where}.",
                hint="Create it, or correct AWS_STORAGE_BUCKET_NAME / AWS_S3_ENDPOINT_URL.",
                id="resolutions.E102",
            )
        if code in REFUSED:
            return Error(
                f"The object store at {where} refused the access key "
                f"“{storage.access_key or '(from the environment)'}” for the bucket “{bucket}” "
                f"({code}).",
                hint="Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and that this key may "
                "list, read, write and delete in the bucket.",
                id="resolutions.E103",
            )
        return Error(
            f"The object store at {where} answered {code or 'an error'} for the bucket "
            f"“{bucket}”: {error}",
            id="resolutions.E104",
        )
    except BotoCoreError as error:
        return Error(
            f"The object store at {where} cannot be reached: {error}",
            hint="Check AWS_S3_ENDPOINT_URL and that the store is running.",
            id="resolutions.E105",
        )
    return None


@register("storage")
def object_storage_answers(app_configs=None, **kwargs):
    if not is_object_storage(default_storage):
        return []
    problem = bucket_problem(default_storage)
    return [problem] if problem else []
