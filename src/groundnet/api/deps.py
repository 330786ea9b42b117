"""Request dependencies: the service, and token checks for writes (and reads when not public)."""

from __future__ import annotations

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..live.service import LiveService
from ..store import repo

_bearer = HTTPBearer(auto_error=False, description="An API token from `groundnet token create NAME`.")


def get_service(request: Request) -> LiveService:
    return request.app.state.service


def _token_name(request: Request, creds: HTTPAuthorizationCredentials | None) -> str | None:
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        return None
    with request.app.state.service.store.session() as s:
        return repo.token_name(s, creds.credentials)


def require_token(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> str:
    """The token's name; 401 without a valid token."""
    name = _token_name(request, creds)
    if name is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED,
                            detail="this needs an API token: send 'Authorization: Bearer <token>' "
                                   "(create one with `groundnet token create NAME`)",
                            headers={"WWW-Authenticate": "Bearer"})
    return name


def read_access(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    """Reads are public unless the service runs with public_read off."""
    if not request.app.state.settings.public_read:
        require_token(request, creds)
