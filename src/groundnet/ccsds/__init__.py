"""CCSDS Navigation Data Messages: OEM, OPM, OMM and TDM in KVN and XML (read), OEM and TDM (write).

See docs/ccsds.md for what is read, what is written and why groundnet has its own small reader.
"""

from .messages import (Message, Oem, OemSegment, Omm, Opm, Tdm, TdmSegment, parse_message, parse_messages, read_message,
                       read_messages)

__all__ = ["Message", "Oem", "OemSegment", "Omm", "Opm", "Tdm", "TdmSegment", "parse_message", "parse_messages",
           "read_message", "read_messages"]
