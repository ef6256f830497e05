import pickle
import socket


def encode_job(job: dict) -> bytes:
    return pickle.dumps(job)


def decode_job(payload: bytes) -> dict:
    job = pickle.loads(payload)
    if "task" not in job:
        raise ValueError("not a job")
    return job


def receive_job(sock: socket.socket) -> dict:
    data = sock.recv(65536)
    return decode_job(data)
