"""groundnet: run a network of ground-station antennas.

The engine (``timebase``, ``orbits``, ``stations``, ``visibility``, ``schedule``) never imports
``store``, ``api``, FastAPI or SQLAlchemy; ``live`` composes the engine; ``api`` and ``cli`` sit on top.
"""

__version__ = "0.1.0"
