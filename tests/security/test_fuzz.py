"""Fuzzing the parsers that read what strangers send: each gives a result or a
clear refusal (its own exception), never a crash. hypothesis makes the inputs;
the settings keep the suite to a few seconds."""

import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError as SchemaError

from gamification import quiz_schemas
from lessons.h5p import archive as h5p_archive
from lib.zipsafe import ZipRefused, central_directory_check
from school.rosters.rows import Problems, file_rows, manifest_modes
from school.rosters.spec import FILES
from whiteboard import live_schemas, protocol

FAST = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# JSON values as a page could send them.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
message_types = st.sampled_from(
    [
        "answer",
        "start",
        "next",
        "reveal",
        "skip",
        "end",
        "pen",
        "follow",
        "page",
        "section",
        "clear",
        "laser",
        "end_lesson",
        "",
        "x",
    ]
)


@st.composite
def messages(draw):
    """Objects shaped like our messages: a known type with arbitrary fields."""
    body = draw(st.dictionaries(st.text(max_size=12), json_values, max_size=6))
    body["type"] = draw(message_types)
    return body


@FAST
@given(st.one_of(json_values, messages()))
def test_quiz_messages_parse_or_are_refused(content):
    try:
        quiz_schemas.parse(content)
    except SchemaError:
        pass


@FAST
@given(st.one_of(json_values, messages()))
def test_live_commands_parse_or_are_refused(content):
    try:
        live_schemas.parse(content)
    except SchemaError:
        pass


@FAST
@given(st.binary(max_size=512))
def test_y_websocket_frames_parse_or_are_refused(frame):
    try:
        message = protocol.parse(frame)
    except protocol.ProtocolError:
        return
    if message.kind is protocol.Kind.AWARENESS:
        try:
            protocol.awareness_entries(message.payload)
        except protocol.ProtocolError:
            pass


@FAST
@given(st.lists(st.tuples(st.integers(0, 2**53), st.integers(0, 2**32), json_values)))
def test_awareness_updates_built_by_a_client_are_read_back(entries):
    """Well-formed updates (what y-protocols writes) read back entry by entry."""
    from pycrdt import Encoder

    encoder = Encoder()
    encoder.write_var_uint(len(entries))
    for client_id, clock, state in entries:
        encoder.write_var_uint(client_id)
        encoder.write_var_uint(clock)
        encoder.write_var_string(json.dumps(state))
    read = protocol.awareness_entries(encoder.to_bytes())
    assert [entry.client_id for entry in read] == [entry[0] for entry in entries]


@st.composite
def zips(draw):
    """Small zips with arbitrary names and contents, sometimes cut short."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        files = draw(
            st.dictionaries(st.text(min_size=1, max_size=30), st.binary(max_size=64))
        )
        for name, data in list(files.items())[:8]:
            archive.writestr(name, data)
    data = buffer.getvalue()
    cut = draw(st.integers(0, len(data)))
    return data if draw(st.booleans()) else data[:cut]


@FAST
@given(st.one_of(zips(), st.binary(max_size=1024)))
def test_the_h5p_archive_checker_refuses_clearly(data):
    try:
        archive = h5p_archive.upload_open(io.BytesIO(data))
        h5p_archive.entries_check(archive)
    except h5p_archive.PackageRefused:
        pass


@FAST
@given(st.one_of(zips(), st.binary(max_size=1024)))
def test_the_zip_directory_reader_counts_or_refuses(data):
    try:
        central_directory_check(io.BytesIO(data), max_entries=100)
    except ZipRefused:
        pass


csv_cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20)


@FAST
@pytest.mark.parametrize("spec", FILES, ids=lambda spec: spec.name)
@given(
    rows=st.lists(st.lists(csv_cells, max_size=8), max_size=6),
    mode=st.sampled_from(["bulk", "delta"]),
)
def test_roster_rows_are_read_or_refused_with_problems(spec, rows, mode):
    header = ",".join(spec.columns)
    text = "\n".join([header, *(",".join(row) for row in rows)])
    problems = Problems()
    file_rows(spec, text, mode, problems)
    manifest_modes(text, problems)
    for problem in problems.items:
        assert problem.message
