/*
 * Every route of the API, in one place. Handlers live one file per resource.
 * ROUTE_DB_REPLICA: a read that a streaming replica may answer (issue 17
 * §2; lists, downloads, lookups, the reviewers' search, the preview);
 * ROUTE_DB_NO_WRITE: a POST that changes nothing the caller reads back
 * (no consistency token). Sign-in, writes and /authorize stay on the
 * primary.
 */
#include "fcgi/handlers.h"
#include "fcgi/router.h"

/* A route without a seventh field reads on the primary (ROUTE_DB_PRIMARY
 * is 0): the table's lines stay as they were. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

const struct route routes[] = {
	{ "GET",    "/api/v1/health",				h_health,	   ROUTE_PUBLIC, BODY_JSON },
	{ "POST",   "/api/v1/session",				h_session_create,  ROUTE_PUBLIC, BODY_JSON, ROUTE_DB_NO_WRITE },
	{ "DELETE", "/api/v1/session",				h_session_delete,  ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/me",				h_me,		   ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/services",				h_services_list,   ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/authorize",			h_authorize,	   ROUTE_SIGNED_IN_BY_HANDLER, BODY_JSON },
	{ "POST",   "/api/v1/authorize/batch",			h_authorize_batch, ROUTE_SIGNED_IN, BODY_JSON, ROUTE_DB_NO_WRITE },
	{ "GET",    "/api/v1/backoffice/decisions",		h_backoffice_decisions, ROUTE_REVIEWER, BODY_JSON },
	{ "GET",    "/api/v1/companies/{est_id}/grants",	h_grants_list,	   ROUTE_SIGNED_IN, BODY_JSON, ROUTE_DB_REPLICA },
	{ "POST",   "/api/v1/companies/{est_id}/grants",	h_grants_create,   ROUTE_SIGNED_IN, BODY_JSON },
	{ "DELETE", "/api/v1/companies/{est_id}/grants/{id}",	h_grants_revoke,   ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/companies/{est_id}/employees",	h_employees_list,  ROUTE_SIGNED_IN, BODY_JSON },
	/* issue 12 §2: the employees download and the company home's figures */
	{ "GET",    "/api/v1/companies/{est_id}/employees.csv", h_employees_csv,  ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/companies/{est_id}/employees.xlsx", h_employees_xlsx, ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/companies/{est_id}/overview",	h_company_overview, ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/renewal/rules",			h_renewal_rules,   ROUTE_PUBLIC, BODY_JSON },
	{ "POST",   "/api/v1/persons/{qid}/status",		h_person_status,   ROUTE_SIGNED_IN, BODY_JSON },
	{ "POST",   "/api/v1/persons/{qid}/employment/{est_id}/end", h_employment_end, ROUTE_SIGNED_IN, BODY_JSON },
	{ "POST",   "/api/v1/companies/{est_id}/renewal/subscription", h_renewal_subscribe, ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/companies/{est_id}/renewal",	h_renewal_get,	   ROUTE_SIGNED_IN, BODY_JSON },
	{ "PATCH",  "/api/v1/companies/{est_id}/renewal",	h_renewal_patch,   ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/companies/{est_id}/exclusions",	h_exclusions_list, ROUTE_SIGNED_IN, BODY_JSON, ROUTE_DB_REPLICA },
	{ "POST",   "/api/v1/companies/{est_id}/exclusions",	h_exclusions_add,  ROUTE_SIGNED_IN, BODY_UPLOAD },
	{ "DELETE", "/api/v1/companies/{est_id}/exclusions/{qid}", h_exclusions_delete, ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/companies/{est_id}/exclusions.csv", h_exclusions_csv, ROUTE_SIGNED_IN, BODY_JSON, ROUTE_DB_REPLICA },
	{ "GET",    "/api/v1/backoffice/subscriptions",		h_backoffice_subscriptions, ROUTE_REVIEWER, BODY_JSON },
	{ "POST",   "/api/v1/backoffice/subscriptions/{reference}/approve", h_backoffice_approve, ROUTE_REVIEWER, BODY_JSON },
	{ "POST",   "/api/v1/backoffice/subscriptions/{reference}/reject", h_backoffice_reject, ROUTE_REVIEWER, BODY_JSON },
	{ "GET",    "/api/v1/backoffice/companies",		h_backoffice_companies, ROUTE_REVIEWER, BODY_JSON, ROUTE_DB_REPLICA },
	{ "GET",    "/api/v1/companies/{est_id}/renewal/preview", h_renewal_preview, ROUTE_SIGNED_IN, BODY_JSON, ROUTE_DB_REPLICA },
	{ "GET",    "/api/v1/companies/{est_id}/statements",	h_statements_list, ROUTE_SIGNED_IN, BODY_JSON, ROUTE_DB_REPLICA },
	{ "GET",    "/api/v1/statements/verify",		h_statement_verify_code, ROUTE_PUBLIC, BODY_JSON },
	{ "POST",   "/api/v1/statements/verify",		h_statement_verify_file, ROUTE_PUBLIC, BODY_UPLOAD, ROUTE_DB_NO_WRITE },
	/* Before {id}, which would take "7.xlsx" as an id. */
	{ "GET",    "/api/v1/statements/{id}.xlsx",		h_statement_xlsx,  ROUTE_SIGNED_IN, BODY_JSON, ROUTE_DB_REPLICA },
	{ "GET",    "/api/v1/statements/{id}",			h_statement_get,   ROUTE_SIGNED_IN, BODY_JSON, ROUTE_DB_REPLICA },
	{ "GET",    "/api/v1/backoffice/statements",		h_backoffice_statements, ROUTE_REVIEWER, BODY_JSON, ROUTE_DB_REPLICA },
	{ "GET",    "/api/v1/backoffice/reports/execution-summary.xlsx", h_report_execution_summary, ROUTE_REVIEWER, BODY_JSON },
	{ "GET",    "/api/v1/backoffice/reports/debits.xlsx",	h_report_debits,   ROUTE_REVIEWER, BODY_JSON },
	{ "GET",    "/api/v1/backoffice/outbox",		h_backoffice_outbox, ROUTE_REVIEWER, BODY_JSON },
	{ "POST",   "/api/v1/backoffice/outbox/{id}/retry",	h_backoffice_outbox_retry, ROUTE_REVIEWER, BODY_JSON },
	{ "GET",    "/api/v1/backoffice/penalties",		h_backoffice_penalties, ROUTE_REVIEWER, BODY_JSON },
	/* issue 15 §2: the workbook of the penalties issued in a period */
	{ "GET",    "/api/v1/backoffice/penalties.xlsx",	h_backoffice_penalties_xlsx, ROUTE_REVIEWER, BODY_JSON },
	{ "POST",   "/api/v1/backoffice/penalties/{id}/waive",	h_backoffice_penalty_waive, ROUTE_REVIEWER, BODY_JSON },
	{ "POST",   "/api/v1/backoffice/penalties/{id}/paid",	h_backoffice_penalty_paid, ROUTE_REVIEWER, BODY_JSON },
	{ "GET",    "/api/v1/companies/{est_id}/penalties",	h_company_penalties, ROUTE_SIGNED_IN, BODY_JSON },
	/* issue 13: lookups from the decision index, and its change feed */
	{ "GET",    "/api/v1/persons/{qid}/authority",		h_person_authority, ROUTE_SIGNED_IN, BODY_JSON, ROUTE_DB_REPLICA },
	{ "GET",    "/api/v1/companies/{est_id}/authorized",	h_company_authorized, ROUTE_SIGNED_IN, BODY_JSON, ROUTE_DB_REPLICA },
	{ "GET",    "/api/v1/changes",				h_changes,	   ROUTE_SIGNED_IN, BODY_JSON },
	/* issue 12 §2: the reviewers' dashboard */
	{ "GET",    "/api/v1/backoffice/dashboard",		h_backoffice_dashboard, ROUTE_REVIEWER, BODY_JSON },

	/* issue 16 §2: verified mobile numbers; §4: a resident's own page */
	{ "POST",   "/api/v1/persons/{qid}/mobile",		h_person_mobile,   ROUTE_SIGNED_IN, BODY_JSON },
	{ "POST",   "/api/v1/persons/{qid}/mobile/confirm",	h_person_mobile_confirm, ROUTE_SIGNED_IN, BODY_JSON },
	{ "POST",   "/api/v1/me/mobile/confirm",		h_me_mobile_confirm, ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/me/residency",			h_me_residency,	   ROUTE_SIGNED_IN, BODY_JSON },

	/* issue 15 §1: enrollment, its letter, self-suspension */
	{ "POST",   "/api/v1/companies/{est_id}/enrollment",	h_enrollment_submit, ROUTE_SIGNED_IN, BODY_ENROLLMENT },
	{ "GET",    "/api/v1/companies/{est_id}/enrollment",	h_enrollment_get,  ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/sectors",				h_sectors_list,    ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/companies/{est_id}/enrollment/letter.pdf", h_enrollment_letter, ROUTE_SIGNED_IN, BODY_JSON },
	{ "POST",   "/api/v1/companies/{est_id}/suspension",	h_company_suspend, ROUTE_SIGNED_IN, BODY_JSON },
	{ "DELETE", "/api/v1/companies/{est_id}/suspension",	h_company_resume,  ROUTE_SIGNED_IN, BODY_JSON },
	{ "GET",    "/api/v1/backoffice/enrollments",		h_backoffice_enrollments, ROUTE_REVIEWER, BODY_JSON },
	{ "GET",    "/api/v1/backoffice/enrollments/{reference}", h_backoffice_enrollment, ROUTE_REVIEWER, BODY_JSON },
	{ "GET",    "/api/v1/backoffice/enrollments/{reference}/documents/license", h_backoffice_enrollment_license, ROUTE_REVIEWER, BODY_JSON },
	{ "GET",    "/api/v1/backoffice/enrollments/{reference}/documents/owner_id", h_backoffice_enrollment_owner_id, ROUTE_REVIEWER, BODY_JSON },
	{ "GET",    "/api/v1/backoffice/enrollments/{reference}/documents/authority_letter", h_backoffice_enrollment_authority_letter, ROUTE_REVIEWER, BODY_JSON },
	{ "POST",   "/api/v1/backoffice/enrollments/{reference}/activate", h_backoffice_enrollment_activate, ROUTE_REVIEWER, BODY_JSON },
	{ "POST",   "/api/v1/backoffice/enrollments/{reference}/return", h_backoffice_enrollment_return, ROUTE_REVIEWER, BODY_JSON },

	/* issue 16 §1: grants are offers the representative answers */
	{ "GET",    "/api/v1/me/grants",			h_me_grants_list,  ROUTE_SIGNED_IN, BODY_JSON },
	{ "POST",   "/api/v1/me/grants/{id}/accept",		h_me_grant_accept, ROUTE_SIGNED_IN, BODY_JSON },
	{ "POST",   "/api/v1/me/grants/{id}/decline",		h_me_grant_decline, ROUTE_SIGNED_IN, BODY_JSON },
	/* issue 16 §5: shared credentials */
	{ "GET",    "/api/v1/backoffice/signals",		h_backoffice_signals, ROUTE_REVIEWER, BODY_JSON },
	{ "POST",   "/api/v1/backoffice/signals/{id}/review",	h_backoffice_signal_review, ROUTE_REVIEWER, BODY_JSON },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
