import pytest

import jobs


def test_round_trip():
    job = {"task": "resize", "args": [640, 480], "retries": 2}
    assert jobs.decode_job(jobs.encode_job(job)) == job


def test_rejects_non_job():
    with pytest.raises(ValueError):
        jobs.decode_job(jobs.encode_job({"x": 1}))
