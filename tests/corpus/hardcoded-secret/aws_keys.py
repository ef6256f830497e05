# AWS credentials in code.
# expect: mamori:python/hardcoded-secret line=5
import boto3

AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY9"


def client():
    return boto3.client("s3", aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key=AWS_SECRET_ACCESS_KEY)
