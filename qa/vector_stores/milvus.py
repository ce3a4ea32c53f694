"""Milvus (QA_VECTOR_STORE=milvus): a build's vectors as two collections per vector set, a row per chunk and
a row per clause, keyed by row.

Where: with QA_MILVUS_URI empty, Milvus Lite inside the build folder (`milvus.db`), so that a build goes live,
and stays crash-safe, by the same CURRENT rename as with FAISS; a file path runs Milvus Lite on that file; an
`http://host:19530` address talks to a Milvus server or cluster with the same code. Collections are named
after their build (`qa_<build>_<set>_chunks`), so a build never touches the live one's; in a shared Milvus the
aliases `qa_live_<set>_chunks` and `qa_live_<set>_clauses` are switched to a build once it is live, for other
tools, and the collections of builds that are removed are dropped.

Milvus's own index (FLAT below APPROXIMATE_FROM chunks, HNSW from there) names a question's candidates; their
vectors and their clauses' are read by key and scored exactly, as with FAISS. Milvus Lite serves one process
at a time: the chat and a `qa search` in another process cannot read the same build together (a server can).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import numpy as np

from qa.errors import QAError
from qa.vector_stores import GRAPH_BUILD_DEPTH, GRAPH_NEIGHBOURS, GRAPH_SEARCH_DEPTH, HNSW, is_milvus_lite

LITE_FILE = "milvus.db"
INSERT_BATCH = 5000
READ_BATCH = 10000
TOP_LIMIT = 16384  # the most results Milvus returns for one search
CLOSE_AFTER_SECONDS = 30  # a replaced build's connection is closed once searches still reading it are done
# Clients open per address in this process: Milvus Lite's server for a file is shared by all of them.
USERS: dict[str, int] = {}
USERS_LOCK = threading.Lock()


def collection(build_id: str, name: str, part: str) -> str:
    return f"qa_{build_id.replace('build-', '').replace('-', '_')}_{name}_{part}"


def live_alias(name: str, part: str) -> str:
    return f"qa_live_{name}_{part}"


def uri_of(folder: Path, manifest: dict) -> str:
    return manifest.get("milvus_uri") or str(folder / LITE_FILE)


def connect(uri: str):
    """A client of the Milvus at `uri`; QAError with the reason when there is none to reach."""
    try:
        from pymilvus import MilvusClient
    except ImportError:
        raise QAError("QA_VECTOR_STORE=milvus needs pymilvus and milvus-lite: pip install pymilvus milvus-lite") from None
    if is_milvus_lite(uri):
        # Milvus Lite's in-process server logs a traceback for a call pymilvus makes that it does not
        # implement (AllocTimestamp, when a collection is created; its result is not needed), and another
        # when its file is locked by another process, which the QAError below says in one line.
        logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
        logging.getLogger("milvus_lite").setLevel(logging.CRITICAL)
    try:
        client = MilvusClient(uri=uri)
    except Exception as error:  # pymilvus raises its own exception types, with the reason in the message
        lite = " (Milvus Lite serves one process at a time: stop the other, or use a Milvus server)" if is_milvus_lite(uri) else ""
        raise QAError(f"cannot open Milvus at {uri}: {milvus_reason(error)}{lite}") from None
    with USERS_LOCK:
        USERS[user_key(uri)] = USERS.get(user_key(uri), 0) + 1
    return client


def user_key(uri: str) -> str:
    return os.path.abspath(uri) if is_milvus_lite(uri) else uri


def milvus_reason(error: Exception) -> str:
    return str(getattr(error, "message", "") or error).strip().splitlines()[0][:300]


def release(uri: str, client) -> None:
    """Close the client and, for Milvus Lite, once no other client of this process uses the file, stop its
    in-process server so that the file can move or be opened by another process."""
    client.close()
    with USERS_LOCK:
        USERS[user_key(uri)] = USERS.get(user_key(uri), 1) - 1
        last = USERS[user_key(uri)] <= 0
    if last and is_milvus_lite(uri):
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(uri)


def write(folder: Path, name: str, chunks: np.ndarray, clauses: np.ndarray, manifest: dict) -> list[Path]:
    from pymilvus import DataType

    uri = uri_of(folder, manifest)
    client = connect(uri)
    try:
        for part, vectors in (("chunks", chunks), ("clauses", clauses)):
            target = collection(manifest["build_id"], name, part)
            schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
            schema.add_field("row", DataType.INT64, is_primary=True)
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=int(chunks.shape[1]))
            index = client.prepare_index_params()
            if manifest["vector_index"] == HNSW:
                parameters = {"M": GRAPH_NEIGHBOURS, "efConstruction": GRAPH_BUILD_DEPTH}
                index.add_index(field_name="vector", index_type="HNSW", metric_type="IP", params=parameters)
            else:
                index.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
            client.create_collection(target, schema=schema, index_params=index)
            for start in range(0, len(vectors), INSERT_BATCH):
                block = np.asarray(vectors[start : start + INSERT_BATCH], dtype=np.float32)
                client.insert(target, [{"row": start + i, "vector": vector} for i, vector in enumerate(block)])
            if not is_milvus_lite(uri):
                client.flush(target)  # a server seals what was inserted; Milvus Lite persists it on release
    except QAError:
        raise
    except Exception as error:
        raise QAError(f"Milvus at {uri} refused the build's vectors: {milvus_reason(error)}") from None
    finally:
        release(uri, client)
    return [path for path in (folder / LITE_FILE).rglob("*") if path.is_file()] if not manifest.get("milvus_uri") else []


def read(folder: Path, name: str, manifest: dict) -> MilvusVectorSet:
    uri = uri_of(folder, manifest)
    client = connect(uri)
    try:
        parts = {}
        for part in ("chunks", "clauses"):
            target = collection(manifest["build_id"], name, part)
            client.load_collection(target)
            fields = client.describe_collection(target)["fields"]
            dimension = next(int(f["params"]["dim"]) for f in fields if f["name"] == "vector")
            rows = int(client.get_collection_stats(target)["row_count"])
            parts[part] = MilvusRows(client, target, rows, dimension)
    except Exception as error:
        release(uri, client)
        raise QAError(f"the {name} vectors of this build cannot be read from Milvus at {uri}: {milvus_reason(error)}") from None
    return MilvusVectorSet(parts["chunks"], parts["clauses"], client, uri, manifest["vector_index"])


def publish(manifest: dict) -> None:
    """Point the live aliases of a shared Milvus at a build that just went live."""
    uri = manifest.get("milvus_uri")
    if not uri:
        return  # Milvus Lite in the build folder: the folder is the version
    client = connect(uri)
    try:
        aliases = set(client.list_aliases().get("aliases", []))
        for name in manifest["vector_sets"]:
            for part in ("chunks", "clauses"):
                alias, target = live_alias(name, part), collection(manifest["build_id"], name, part)
                (client.alter_alias if alias in aliases else client.create_alias)(target, alias)
    finally:
        release(uri, client)


def remove(build_id: str, manifest: dict) -> None:
    """Drop a removed (or failed) build's collections from a shared Milvus."""
    uri = manifest.get("milvus_uri")
    if not uri:
        return
    client = connect(uri)
    try:
        for name in manifest.get("vector_sets", []):
            for part in ("chunks", "clauses"):
                if client.has_collection(collection(build_id, name, part)):  # a killed build may not have made it
                    client.drop_collection(collection(build_id, name, part))
    finally:
        release(uri, client)


class MilvusRows:
    """The vectors of one collection, read by row: `rows[i]`, `rows[array]`, `rows[a:b]`, `np.asarray(rows)`."""

    def __init__(self, client, name: str, rows: int, dimension: int) -> None:
        self.client, self.name, self.shape = client, name, (rows, dimension)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key) -> np.ndarray:
        if isinstance(key, slice):
            return self.read(np.arange(*key.indices(len(self))))
        if np.isscalar(key):
            return self.read(np.array([int(key)]))[0]
        return self.read(np.asarray(key, dtype=np.int64))

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return self.read(np.arange(len(self))).astype(dtype or np.float32)

    def __matmul__(self, vector: np.ndarray) -> np.ndarray:
        return np.asarray(self) @ vector

    def read(self, rows: np.ndarray) -> np.ndarray:
        found: dict[int, list[float]] = {}
        for start in range(0, len(rows), READ_BATCH):
            wanted = [int(row) for row in rows[start : start + READ_BATCH]]
            for hit in self.client.get(self.name, ids=wanted, output_fields=["vector"]):
                found[int(hit["row"])] = hit["vector"]
        if len(rows) and len(found) < len(set(rows.tolist())):
            raise QAError(f"Milvus collection {self.name} lacks rows this build holds: run `qa build` to rebuild it")
        return np.array([found[int(row)] for row in rows], dtype=np.float32).reshape(len(rows), self.shape[1])


class MilvusVectorSet:
    """A vector set in Milvus: candidates from its index, vectors read by row."""

    def __init__(self, chunks: MilvusRows, clauses: MilvusRows, client, uri: str, index_kind: str) -> None:
        self.chunks, self.clauses, self.client, self.uri, self.index_kind = chunks, clauses, client, uri, index_kind

    @property
    def dimension(self) -> int:
        return self.chunks.shape[1]

    @property
    def kind(self) -> str:
        return f"milvus-{self.index_kind}"

    def nearest(self, query_vector: np.ndarray, count: int) -> np.ndarray:
        parameters = {"params": {"ef": max(GRAPH_SEARCH_DEPTH, count)}} if self.index_kind == HNSW else {}
        hits = self.client.search(
            self.chunks.name, data=[query_vector.astype(np.float32).tolist()], limit=min(count, TOP_LIMIT, len(self.chunks)),
            search_params=parameters, anns_field="vector",
        )[0]
        return np.array([int(hit["row"]) for hit in hits], dtype=np.int64)

    def approximate(self, query_vector: np.ndarray, rows: np.ndarray) -> None:
        """Nothing is kept here to shortlist with: every candidate is read and scored."""
        return None

    def close(self) -> None:
        # Searches that took the replaced build before the switch may still be reading it.
        timer = threading.Timer(CLOSE_AFTER_SECONDS, release, (self.uri, self.client))
        timer.daemon = True
        timer.start()
