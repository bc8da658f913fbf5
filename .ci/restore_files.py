# Run through `manage.py shell`: attach evidence files (Thai names) to the first draft months of a few demo tambons,
# through the same service the report page uses, so the backup has uploaded files to carry.
import base64

from django.core.files.uploadedfile import SimpleUploadedFile

from pbm.models import ReviewStatus
from reporting import services
from reporting.models import MonthlyReport
from tambon.models import Membership, Role

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
reporters = {m.university_id: m.user for m in Membership.objects.filter(role=Role.UNIVERSITY_REPORTER)}
attached = 0
for report in MonthlyReport.objects.filter(status=ReviewStatus.DRAFT).select_related("tambon")[:3]:
    services.monthly_report_save(
        tambon=report.tambon,
        year=report.year,
        month=report.month,
        user=reporters[report.tambon.university_id],
        seen_version=report.version,
        actuals={},
        narrative=report.narrative,
        files=[SimpleUploadedFile(f"ใบเสร็จ-{report.pk}.png", PNG, content_type="image/png")],
    )
    attached += 1
assert attached, "the demo has no draft month to attach evidence to"
print(f"attached evidence to {attached} months")
