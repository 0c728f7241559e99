"""The pit SDK against a real Pipekit SDK socket server (tests/Pipekit.Pipelines.SdkHost)."""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from pit import sdk  # noqa: E402
import seed_client  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
HOST = os.environ.get(
    "PIPEKIT_SDK_HOST",
    os.path.join(ROOT, "tests", "Pipekit.Pipelines.SdkHost", "bin", "Debug", "net10.0", "linux-x64", "Pipekit.Pipelines.SdkHost"),
)

SECRETS = """
[global]
smtp_password = "global-smtp-pass"
claims_db = "global-claims"

[claims_pipeline]
claims_db = "Server=claims;Password=claims-pass"

[warehouse_transforms]
warehouse_db = "duckdb:///data/wh.duckdb"

[claims_pipeline.warehouse]
host = "wh-host"
password = "wh-pass"
"""


class SdkServer:
    """One SDK socket served by the host process for one task of one DAG."""

    def __init__(self, directory, dag, task="extract"):
        self.socket = os.path.join(directory, f"{dag}.sock")
        secrets = os.path.join(directory, "secrets.toml")
        if not os.path.exists(secrets):
            with open(secrets, "w") as f:
                f.write(SECRETS)
        self.process = subprocess.Popen(
            [HOST, secrets, dag, task, self.socket],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError(f"SDK host did not start: {line!r}")

    def stop(self):
        self.process.stdin.close()
        audit = self.process.stdout.read().splitlines()
        self.process.wait(timeout=30)
        return audit


@unittest.skipUnless(os.path.exists(HOST), f"build the SDK host first: {HOST}")
class GetSecretTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="pit-sdk-test-")
        cls.claims = SdkServer(cls.dir, "claims_pipeline")
        cls.warehouse = SdkServer(cls.dir, "warehouse_transforms")

    @classmethod
    def tearDownClass(cls):
        cls.claims.stop()
        cls.warehouse.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def use(self, server):
        return mock.patch.dict(os.environ, {"PIT_SOCKET": server.socket})

    def test_a_project_secret_wins_over_global(self):
        with self.use(self.claims):
            self.assertEqual(sdk.get_secret("claims_db"), "Server=claims;Password=claims-pass")

    def test_a_missing_project_secret_falls_back_to_global(self):
        with self.use(self.claims):
            self.assertEqual(sdk.get_secret("smtp_password"), "global-smtp-pass")

    def test_secrets_are_scoped_by_dag(self):
        with self.use(self.warehouse):
            self.assertEqual(sdk.get_secret("claims_db"), "global-claims")
            self.assertEqual(sdk.get_secret("warehouse_db"), "duckdb:///data/wh.duckdb")
        with self.use(self.claims):
            with self.assertRaises(sdk.PitSDKError) as raised:
                sdk.get_secret("warehouse_db")
        self.assertIn("secret not found: 'warehouse_db'", str(raised.exception))

    def test_get_secret_field_reads_one_field_of_a_table_secret(self):
        with self.use(self.claims):
            self.assertEqual(sdk.get_secret_field("warehouse", "password"), "wh-pass")
            self.assertEqual(sdk.get_secret("warehouse"), '{"host":"wh-host","password":"wh-pass"}')
            with self.assertRaises(sdk.PitSDKError):
                sdk.get_secret_field("warehouse", "port")

    def test_the_package_exports_the_functions(self):
        import pit
        with self.use(self.claims):
            self.assertEqual(pit.get_secret("smtp_password"), "global-smtp-pass")

    def test_the_seed_era_client_reads_a_scoped_secret_unchanged(self):
        with self.use(self.claims):
            self.assertEqual(seed_client.get_secret("claims_db"), "Server=claims;Password=claims-pass")
            with self.assertRaises(RuntimeError) as raised:
                seed_client.request("unknown_method")
        self.assertEqual(str(raised.exception), "SDK error: unknown method: unknown_method")

    def test_many_threads_each_get_their_answer(self):
        results = []
        errors = []

        def call(i):
            try:
                key = "claims_db" if i % 2 == 0 else "smtp_password"
                results.append((i, sdk.get_secret(key)))
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        with self.use(self.claims):
            threads = [threading.Thread(target=call, args=(i,)) for i in range(100)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 100)
        for i, value in results:
            self.assertEqual(value, "Server=claims;Password=claims-pass" if i % 2 == 0 else "global-smtp-pass")


@unittest.skipUnless(os.path.exists(HOST), f"build the SDK host first: {HOST}")
class AuditTests(unittest.TestCase):
    def test_each_read_is_audited_with_the_task_and_without_the_value(self):
        directory = tempfile.mkdtemp(prefix="pit-sdk-audit-")
        try:
            server = SdkServer(directory, "claims_pipeline", task="load")
            with mock.patch.dict(os.environ, {"PIT_SOCKET": server.socket}):
                sdk.get_secret("claims_db")
                with self.assertRaises(sdk.PitSDKError):
                    sdk.get_secret("nope")
            audit = server.stop()
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        self.assertEqual(audit, [
            "audit claims_pipeline load get_secret claims_db - found",
            "audit claims_pipeline load get_secret nope - missing",
        ])
        self.assertFalse(any("claims-pass" in line for line in audit))


class ClientErrorTests(unittest.TestCase):
    def test_a_missing_pit_socket_raises(self):
        with mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaises(sdk.PitSDKError) as raised:
                sdk.get_secret("x")
        self.assertIn("PIT_SOCKET is not set", str(raised.exception))

    def test_a_socket_nobody_serves_raises(self):
        with mock.patch.dict(os.environ, {"PIT_SOCKET": "/nonexistent/pit.sock"}):
            with self.assertRaises(sdk.PitSDKError) as raised:
                sdk.get_secret("x")
        self.assertIn("cannot reach the Pipekit SDK socket /nonexistent/pit.sock", str(raised.exception))

    def test_pit_sdk_error_is_a_runtime_error_as_in_pit(self):
        self.assertTrue(issubclass(sdk.PitSDKError, RuntimeError))


if __name__ == "__main__":
    unittest.main()
