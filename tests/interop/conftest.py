from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "examples" / "satnogs"
