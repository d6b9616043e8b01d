"""Every kind of background job, by name: the application factory registers them with the worker."""
from __future__ import annotations

from jobs.exports import assessment_pdf
from jobs.runner import Kind

KINDS = {
    "assessment_pdf": Kind(assessment_pdf),
}
