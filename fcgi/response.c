#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/http.h"
#include "fcgi/replica.h"
#include "lib/log.h"

static const char *
status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

void
resp_json(struct req *r, int status, json_t *body)
{
	char *text;

	if (r->responded) {
		log_error("second response suppressed (status %d)", status);
		json_decref(body);
		return;
	}
	r->responded = 1;
	r->status = status;
	replica_write_token(r, status);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	FCGX_FPrintF(r->fcgx->out,
	    "Status: %d %s\r\n"
	    "Content-Type: application/json; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\n"
	    "%s"
	    "%s%s%s"
	    "%s%s%s"
	    "\r\n%s\n", status, status_text(status), r->consistency,
	    r->set_cookie ? "Set-Cookie: " : "",
	    r->set_cookie ? r->set_cookie : "",
	    r->set_cookie ? "\r\n" : "",
	    r->allow[0] ? "Allow: " : "", r->allow, r->allow[0] ? "\r\n" : "",
	    text ? text : "{}");
	free(text);
}

void
resp_raw(struct req *r, int status, const char *content_type,
    const char *disposition, const char *body, size_t len)
{
	if (r->responded)
		return;
	r->responded = 1;
	r->status = status;
	replica_write_token(r, status);
	FCGX_FPrintF(r->fcgx->out,
	    "Status: %d %s\r\n"
	    "Content-Type: %s\r\n"
	    "Cache-Control: no-store\r\n"
	    "%s"
	    "%s%s%s"
	    "\r\n", status, status_text(status), content_type, r->consistency,
	    disposition ? "Content-Disposition: " : "", disposition ? disposition : "",
	    disposition ? "\r\n" : "");
	FCGX_PutStr(body, (int)len, r->fcgx->out);
}

/*
 * The message of an error in lang (issue 16 §3): the catalogue's
 * "error.<code>.<field>", else "error.<code>", in lang's own catalogue;
 * else msg, the handler's English, which is also what an English reader
 * always gets (the English entries are the catalogue's source for the
 * translators, and the server's own words say more: "the statement
 * language is one of ...").
 */
static const char *
error_text(const struct req *r, const char *lang, const char *code,
    const char *field, const char *msg)
{
	char key[192];
	const char *t = NULL;

	if (strcmp(lang, "en") == 0 || r->w == NULL || r->w->cat == NULL)
		return msg;
	if (field != NULL && snprintf(key, sizeof(key), "error.%s.%s", code, field) <
	    (int)sizeof(key))
		t = catalog_text_own(r->w->cat, lang, key);
	if (t == NULL && snprintf(key, sizeof(key), "error.%s", code) < (int)sizeof(key))
		t = catalog_text_own(r->w->cat, lang, key);
	return t != NULL ? t : msg;
}

/* Each entry of error.fields in lang. */
static void
fields_translate(const struct req *r, const char *lang, json_t *fields)
{
	json_t *e;
	size_t i;

	json_array_foreach(fields, i, e) {
		const char *msg = json_string_value(json_object_get(e, "message"));
		const char *t = error_text(r, lang,
		    json_string_value(json_object_get(e, "code")),
		    json_string_value(json_object_get(e, "field")), msg);

		if (t != msg)
			json_object_set_new(e, "message", json_string(t));
	}
}

/* The error object, with "fields" (a list, borrowed) when there is one;
 * its messages in the caller's language, its codes as they are. */
static void
error_send(struct req *r, int status, const char *code, const char *field,
    const char *msg, json_t *fields)
{
	char lang[3];
	json_t *err, *first;
	const char *ff;

	if (status >= 500)
		log_warn("%d %s: %s", status, code, msg);
	/* The person's language is not read from a database that just failed. */
	req_language(r, status != 503, lang);
	if (fields != NULL)
		fields_translate(r, lang, fields);
	/* With a list, the message is its first bad field's, as the list says
	 * it (its code may be "required" under the answer's "invalid_field");
	 * msg may be that entry's old text, replaced by the translation. */
	first = json_array_get(fields, 0);
	ff = json_string_value(json_object_get(first, "field"));
	if (field != NULL && ff != NULL && strcmp(ff, field) == 0)
		msg = json_string_value(json_object_get(first, "message"));
	else
		msg = error_text(r, lang, code, field, msg);
	err = json_pack("{s:s, s:s}", "code", code, "message", msg);
	if (field != NULL)
		json_object_set_new(err, "field", json_string(field));
	if (fields != NULL)
		json_object_set(err, "fields", fields);
	resp_json(r, status, json_pack("{s:o}", "error", err));
}

/* One entry of error.fields. */
static json_t *
field_entry(const char *field, const char *code, const char *msg)
{
	return json_pack("{s:s, s:s, s:s}", "field", field, "code", code, "message", msg);
}

void
resp_error_field(struct req *r, int status, const char *code,
    const char *field, const char *msg)
{
	json_t *fields = NULL;

	/* A single bad field is a list of one: clients read error.fields. */
	if (field != NULL)
		fields = json_pack("[o]", field_entry(field, code, msg));
	error_send(r, status, code, field, msg, fields);
	json_decref(fields);
}

void
field_errors_init(struct field_errors *fe)
{
	fe->list = json_array();
}

void
field_error_add(struct field_errors *fe, const char *field, const char *code,
    const char *msg)
{
	size_t i;

	/* The first fault of a field is the one to fix first. */
	for (i = 0; i < json_array_size(fe->list); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(fe->list, i),
		    "field")), field) == 0)
			return;
	json_array_append_new(fe->list, field_entry(field, code, msg));
}

enum rb_err
resp_error_fields(struct req *r, struct field_errors *fe)
{
	json_t *first = json_array_get(fe->list, 0);
	enum rb_err rc = RB_OK;

	if (first != NULL) {
		error_send(r, 400, "invalid_field",
		    json_string_value(json_object_get(first, "field")),
		    json_string_value(json_object_get(first, "message")), fe->list);
		rc = RB_EINVAL;
	}
	json_decref(fe->list);
	fe->list = NULL;
	return rc;
}

void
resp_error(struct req *r, int status, const char *code, const char *msg)
{
	resp_error_field(r, status, code, NULL, msg);
}

void
resp_rb_err(struct req *r, enum rb_err e)
{
	switch (e) {
	case RB_EDB:
		resp_error(r, 503, "database_unavailable",
		    "the database is unavailable; try again shortly");
		break;
	case RB_EDIRECTORY:
		resp_error(r, 503, "directory_unavailable",
		    "the directory is unavailable; try again shortly");
		break;
	case RB_ENOTFOUND:
		resp_error(r, 404, "not_found", "not found");
		break;
	case RB_ERETRY:
		/* The handler's transaction lost a race and was not retried. */
		resp_error(r, 503, "busy", "the system is busy; try again shortly");
		break;
	case RB_ECONFLICT:
		resp_error(r, 409, "conflict", "the change conflicts with the current state");
		break;
	case RB_EFORBIDDEN:
		resp_error(r, 403, "forbidden", "not allowed");
		break;
	case RB_EINVAL:
		resp_error(r, 400, "invalid", "invalid input");
		break;
	default:
		resp_error(r, 500, "internal", "internal error");
		break;
	}
}
