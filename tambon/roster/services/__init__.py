"""Writes of the roster. Import: importer.py; what happens to people: contracts.py; wages: acceptance.py."""

from .acceptance import work_accept, work_unaccept
from .certificates import certificate_issue, certificate_pdf
from .contracts import (
    contract_move_to_digitizing,
    contract_replace,
    contract_resign,
    contract_terminate,
    contract_version,
    contract_version_check,
    training_record,
)
from .eligibility import eligibility_record
from .importer import (
    ImportResult,
    RowError,
    Sheet,
    SheetRow,
    roster_check,
    roster_import,
    roster_import_sheet,
    roster_read,
    unit_owner,
    university_owner,
)

__all__ = [
    "ImportResult", "RowError", "Sheet", "SheetRow", "certificate_issue", "certificate_pdf",
    "contract_move_to_digitizing", "contract_replace", "contract_resign", "contract_terminate",
    "contract_version", "contract_version_check", "eligibility_record",
    "roster_check", "roster_import", "roster_import_sheet", "roster_read", "training_record",
    "unit_owner", "university_owner", "work_accept", "work_unaccept",
]  # fmt: skip
