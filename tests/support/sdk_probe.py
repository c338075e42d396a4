"""Runs INSIDE the separate seekrai venv (not the project's interpreter).

Talks to a SeekrFlow (the simulator) with the official SDK and prints one JSON
document describing what the SDK could parse, so the conformance test can
judge it. Usage: python sdk_probe.py BASE_URL API_KEY
"""

from __future__ import annotations

import json
import sys


def extras(model, path: str = "") -> list[str]:
    """Dotted paths of fields the SDK's models did not declare (``extra="allow"``)."""
    found = [f"{path}{k}" for k in (model.model_extra or {})]
    for name in type(model).model_fields:
        value = getattr(model, name)
        items, here = (
            (value, f"{path}{name}[].") if isinstance(value, list) else ([value], f"{path}{name}.")
        )
        for item in items:
            if hasattr(item, "model_extra"):
                found += extras(item, here)
    return found


def error_of(call) -> str | None:
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - the SDK raises its own error types
        return f"{type(exc).__name__}: {getattr(exc, 'http_status', None)}"
    return None


def main(base_url: str, api_key: str) -> None:
    import seekrai
    from seekrai import SeekrFlow
    from seekrai.types import alignment, data_jobs, ingestion

    client = SeekrFlow(api_key=api_key, base_url=base_url + "/v1", max_retries=0)
    listed = client.data_jobs.list(limit=100)
    report: dict = {
        "sdk_version": seekrai.version,
        "listed": len(listed.data),
        "list_extras": sorted({e for j in listed.data for e in extras(j)}),
    }
    by_status: dict[str, str] = {}
    details: dict[str, dict] = {}
    for job in listed.data:  # every listed job, read back in full by the SDK
        detail = client.data_jobs.retrieve(job.id)
        status = detail.status.value
        by_status.setdefault(status, job.id)
        seen = details.setdefault(
            status,
            {
                "status": status,
                "jobs": 0,
                "extras": [],
                "failed_records": 0,
                "alignment": 0,
                "timeline": 0,
            },
        )
        seen["jobs"] += 1
        seen["extras"] = sorted(set(seen["extras"]) | set(extras(detail)))
        seen["failed_records"] += sum(
            r.status == "failed" for i in detail.ingestion_jobs for r in i.records
        )
        seen["alignment"] += detail.alignment_job is not None
        seen["timeline"] += len(detail.timeline)
    report["details"] = details

    editable = by_status.get("ready_to_start") or by_status.get("needs_review")
    renamed = client.data_jobs.update(
        editable, name="Renamed by the SDK", system_prompt="Cite the policy section."
    )
    report["update"] = {
        "name": renamed.name,
        "system_prompt": renamed.system_prompt,
        "extras": extras(renamed),
    }
    cancelled = client.data_jobs.cancel(by_status["running"])
    report["cancel"] = {"status": cancelled.status.value, "extras": extras(cancelled)}
    report["cancel_again"] = error_of(lambda: client.data_jobs.cancel(by_status["running"]))
    report["update_locked"] = error_of(
        lambda: client.data_jobs.update(by_status["completed"], name="x")
    )
    # the lifecycle calls: skip a review job's failed files, start it, clone a failed job
    fixable = None
    for job in listed.data:
        if job.status.value == "needs_review" and job.id != editable:
            d = client.data_jobs.retrieve(job.id)
            failed = [f.file_id for f in d.files if f.status == "failed"]
            if failed and len(failed) < len(d.files):
                fixable = (job.id, failed)
                break
    removed = client.data_jobs.remove_files(fixable[0], fixable[1])
    report["remove_files"] = {
        "status": removed.status.value,
        "failed_left": sum(f.status == "failed" for f in removed.files),
        "extras": extras(removed),
    }
    report["start"] = {"status": client.data_jobs.start(fixable[0]).status.value}
    report["start_again"] = error_of(lambda: client.data_jobs.start(fixable[0]))
    clone = client.data_jobs.clone(by_status["failed"], name="Cloned by the SDK")
    report["clone"] = {
        "origin": clone.origin_data_job_id,
        "source": by_status["failed"],
        "status": clone.status.value,
        "name": clone.name,
        "extras": extras(clone),
    }
    report["missing"] = error_of(lambda: client.data_jobs.retrieve("dj-does-not-exist"))
    report["bad_key"] = error_of(
        lambda: SeekrFlow(api_key="sk-unknown", base_url=base_url, max_retries=0).data_jobs.list()
    )
    report["fields"] = {
        cls.__name__: sorted(cls.model_fields)
        for cls in (
            data_jobs.DataJobResponse,
            data_jobs.DataJobDetailResponse,
            data_jobs.IngestionJobDetail,
            data_jobs.DataJobFile,
            data_jobs.TimelineEvent,
            alignment.AlignmentResponse,
            ingestion.IngestionFileRecord,
        )
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
