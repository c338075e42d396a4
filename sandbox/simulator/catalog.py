"""Fixed vocabularies of the simulated SeekrFlow: error/fix pairs, names, files, steps."""

from __future__ import annotations

# The "Troubleshoot common errors" table of the SeekrFlow docs: error_message -> suggested_fix.
TROUBLESHOOT: dict[str, str] = {
    "The file appears to be empty.": "Upload a file with content.",
    "The PDF may be corrupted, password-protected, or in an unsupported format.": (
        "Upload a valid, unprotected PDF."
    ),
    "The PDF contains pages that exceed the maximum supported size.": (
        "Re-export the PDF with smaller page dimensions."
    ),
    "The file was not found or is not owned by the current user.": (
        "Re-upload the file or verify the correct file_id."
    ),
    "Service temporarily unavailable.": "Retry the job after a brief wait.",
    "Internal processing failure.": "If the issue persists, contact support.",
}
ERRORS: list[str] = list(TROUBLESHOOT)

JOB_TYPES = ("principle_files", "context_grounded_files", "context_grounded_vector_db")
PRE_ALIGNMENT = ("file_processing", "needs_review", "ready_to_start")
ALIGNMENT_ACTIVE = ("pending", "queued", "running")
ALIGNMENT_TERMINAL = ("completed", "failed", "cancelled", "stopped")
ALIGNMENT_STATUSES = ALIGNMENT_ACTIVE + ALIGNMENT_TERMINAL
CANCELLABLE = frozenset(ALIGNMENT_ACTIVE)

# (current_step, weight): the alignment run's steps and their share of the run time.
STEPS: list[tuple[str, float]] = [
    ("Chunking documents", 0.10),
    ("Summarizing documents", 0.15),
    ("Generating questions", 0.30),
    ("Generating answers", 0.30),
    ("Filtering for quality", 0.10),
    ("Exporting dataset", 0.05),
]

ALIGNMENT_FAILURES: list[str] = [
    "Alignment failed: fewer than 50 valid QA pairs were generated from the documents.",
    "Alignment failed: the worker ran out of memory while generating answers. Retry the job.",
    "Alignment failed: the generation model timed out repeatedly. Retry after a brief wait.",
    "Alignment failed: the vector database returned no passages for the instructions.",
]

JOB_NAMES: list[str] = [
    "Customer support refresh",
    "Airline escalation policies",
    "Claims handling FAQ",
    "Onboarding handbook Q4",
    "Returns & refunds policy",
    "Mortgage underwriting guide",
    "Pharmacy benefits explainer",
    "Kubernetes runbooks",
    "Sales playbook <EMEA>",
    "Warranty terms 2026",
    "HR benefits open enrollment",
    "Incident postmortems",
    "Field service manuals",
    "Privacy policy Q&A",
    "Payroll tax guidance",
    "API reference grounding",
    "Brand voice principles",
    "Fraud triage notes",
    "Clinical trial protocols",
    "Retail store SOPs",
    "Product catalog grounding",
    "Security awareness training",
    "Legal contract clauses",
    "Travel expense policy",
    "Energy tariff explainer",
    "Loyalty program rules",
    "Developer docs v3",
    "Shipping & customs FAQ",
    "Insurance glossary",
    "Call center scripts",
    "Support macros cleanup",
    "Network outage playbook",
    "Board meeting minutes",
]

FILE_NAMES: list[str] = [
    "support_policies_2026.pdf",
    "escalation_matrix.docx",
    "faq_export.pdf",
    "handbook_v4.pdf",
    "returns-policy.md",
    "underwriting_guide.pdf",
    "benefits_summary.pdf",
    "runbook_cluster_upgrade.md",
    "playbook_emea_final_FINAL.pptx",
    "warranty_terms.pdf",
    "open_enrollment_deck.pptx",
    "postmortem_2026-03-14.md",
    "service_manual_x200.pdf",
    "privacy_notice.docx",
    "tax_guidance_q3.pdf",
    "openapi_reference.md",
    "brand_voice.pdf",
    "fraud_cases_redacted.pdf",
    "protocol_amendment_2.pdf",
    "store_sop_opening.docx",
    "catalog_spring.pdf",
    "phishing_training.pptx",
    "msa_template.docx",
    "expense_policy.pdf",
    "tariff_sheet_2026.pdf",
    "loyalty_terms.pdf",
    "getting_started.md",
    "customs_faq.pdf",
    "glossary.pdf",
    "call_scripts_tier1.docx",
    "scan_0042.pdf",
    "notes & drafts <old>.pdf",
]

SYSTEM_PROMPTS: list[str] = [
    "You are a helpful support expert. Always cite the policy section you rely on.",
    "You are an internal knowledge assistant. Answer concisely and say when you are unsure.",
    "You are a compliance-minded assistant. Never give legal advice; point to the document.",
]

INSTRUCTIONS: list[str] = [
    "Generate question-answer pairs a customer would ask, grounded in the attached documents.",
    "Cover edge cases and escalation paths; prefer short, factual answers.",
    "Focus on procedures and the exact steps an agent should follow.",
]

FILE_TYPES = {"pdf": "pdf", "docx": "docx", "pptx": "pptx", "md": "md"}


def file_type(filename: str) -> str:
    return FILE_TYPES.get(filename.rsplit(".", 1)[-1].lower(), "unknown")


def suggested_fix(error: str | None) -> str | None:
    if error is None:
        return None
    return TROUBLESHOOT.get(error, "If the issue persists, contact support.")
