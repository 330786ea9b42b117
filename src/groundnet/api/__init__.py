"""The HTTP service: FastAPI app factory, one router per domain, live push and feeds."""
