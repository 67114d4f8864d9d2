"""openapi-typescript generates TypeScript types from the schema, and a small sync client written against them
(sync_types.ts) type-checks with `tsc --noEmit --strict`: its `@ts-expect-error` lines make sure the types are
precise (a loose `any` would leave those lines without an error, which tsc reports)."""

import shutil
from pathlib import Path

from tests.api_clients.conftest import node_tool, run

HERE = Path(__file__).parent


def test_the_generated_typescript_types_type_check_a_sync_client(schema_file, tmp_path):
    generated = run([node_tool("openapi-typescript"), str(schema_file), "--output", str(tmp_path / "schema.ts")])
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "TouchpointConflict" in (tmp_path / "schema.ts").read_text()
    shutil.copy(HERE / "sync_types.ts", tmp_path / "sync_types.ts")
    checked = run([node_tool("tsc"), "--noEmit", "--strict", "--target", "es2022", "--module", "esnext",
                   "--moduleResolution", "bundler", "sync_types.ts"], cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
