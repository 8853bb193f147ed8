"""docs/protocol.md stays in step with the payload structs: every field is documented."""

import re
from pathlib import Path

import msgspec
import pytest

from console.fleet import schemas

DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("struct", [schemas.State, schemas.Tele, schemas.Event, schemas.Ack,
                                    schemas.Command, schemas.Config, schemas.Net, schemas.Loc,
                                    schemas.Playing, schemas.Cache])
def test_every_field_is_documented(struct):
    # A field is documented as `name`, or inside an inline object such as `{lat, lon}`.
    missing = [f.name for f in msgspec.structs.fields(struct)
               if f"`{f.name}`" not in DOC and not re.search(r"`\{[^`]*\b" + f.name + r"\b[^`]*\}`", DOC)]
    assert not missing, f"{struct.__name__} fields missing from docs/protocol.md: {missing}"


def test_every_command_op_and_event_type_is_documented():
    for name in schemas.COMMAND_OPS + schemas.EVENT_TYPES + schemas.FAULTS:
        assert f"`{name}`" in DOC, name
