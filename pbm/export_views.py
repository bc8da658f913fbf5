"""The pages of a background export (pbm/jobs.py): where it stands, its file, and starting it again.

A job is its requester's alone: anyone else, or the requester once the export has left their scope, gets 404,
as for a job that does not exist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import jobs
from .models import ExportJob, JobStatus, User


def export_redirect(request: HttpRequest, *, kind: str, params: dict) -> HttpResponse:
    """What an export's old URL does now: start (or join) the person's job and show its page."""
    job = jobs.export_start(user=request.user, kind=kind, params=params, language=request.LANGUAGE_CODE)
    return redirect("export_detail", pk=job.pk)


def _job_or_404(user: User, pk: int) -> ExportJob:
    job = get_object_or_404(ExportJob, pk=pk)
    if not jobs.export_allowed(user=user, job=job):
        raise Http404("No such export")
    return jobs.job_stale(job)


@login_required
@never_cache
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request.user, pk)
    return render(request, "pbm/export_job.html", {
        "job": job, "title": jobs.KINDS[job.kind].title(job.params), "progress": jobs.export_progress(job=job),
    })  # fmt: skip


@login_required
@never_cache
def export_progress(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(jobs.export_progress(job=_job_or_404(request.user, pk)))


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request.user, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("Not built yet")
    try:
        stream = job.file.open("rb")
    except FileNotFoundError:  # the storage lost it: the job's page says so and offers to build it again
        jobs.export_file_lost(job=job)
        return redirect("export_detail", pk=job.pk)
    return FileResponse(stream, as_attachment=True, filename=job.filename, content_type=job.content_type)


@login_required
@require_POST
def export_restart(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request.user, pk)
    return redirect("export_detail", pk=jobs.export_restart(job=job).pk)
