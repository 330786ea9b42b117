"""CCSDS messages: OEM, OPM, OMM and TDM in KVN and XML and combined NDM files (read), OEM and TDM
(write); the Simple Schedule Format (``ssf``, both ways); TDM residuals against predictions
(``residuals``).

See docs/ccsds.md for what is read, what is written and why groundnet has its own small reader.
"""

from .messages import (Message, Oem, OemSegment, Omm, Opm, Tdm, TdmSegment, parse_message, parse_messages, read_message,
                       read_messages)

__all__ = ["Message", "Oem", "OemSegment", "Omm", "Opm", "Tdm", "TdmSegment", "parse_message", "parse_messages",
           "read_message", "read_messages"]
