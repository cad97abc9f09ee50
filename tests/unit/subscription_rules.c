/*
 * domain/subscription_rules.h: when a company may subscribe or change its
 * debit account, when a reviewer may decide, and how each refusal is
 * answered (the codes and messages are the API's).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/subscription_rules.h"

static const struct subscription_mandate_facts good_mandate = { 1, 1 };

static struct subscription_facts
facts(int has_current, enum subscription_status st, int pending_change)
{
	struct subscription_facts f;

	memset(&f, 0, sizeof(f));
	f.has_current = has_current;
	f.status = st;
	f.pending_change = pending_change;
	memcpy(f.reference, "RN-ABCD-EFGH", REFERENCE_LEN + 1);
	return f;
}

static void
statuses(void **state)
{
	static const char *const names[] = { "pending", "active", "rejected", "replaced" };
	enum subscription_status s;
	int i;

	(void)state;
	for (i = 0; i < SUBSCRIPTION_STATUS__MAX; i++) {
		assert_string_equal(subscription_status_name((enum subscription_status)i),
		    names[i]);
		assert_int_equal(subscription_status_parse(names[i], &s), RB_OK);
		assert_int_equal(s, i);
	}
	assert_int_equal(subscription_status_parse("Active", &s), RB_EINVAL);
	assert_int_equal(subscription_status_parse("", &s), RB_EINVAL);
	assert_int_equal(subscription_status_parse(NULL, &s), RB_EINVAL);
	assert_string_equal(subscription_status_name(SUBSCRIPTION_STATUS__MAX), "unknown");
}

static void
view(void **state)
{
	struct subscription_facts f = facts(0, SUBSCRIPTION_PENDING, 0);

	(void)state;
	assert_int_equal(subscription_decide_view(&f), SUBSCRIPTION_NEVER_SUBSCRIBED);
	/* A rejected subscription is still shown, with its note. */
	f = facts(1, SUBSCRIPTION_REJECTED, 0);
	assert_int_equal(subscription_decide_view(&f), SUBSCRIPTION_OK);
	f = facts(1, SUBSCRIPTION_ACTIVE, 1);
	assert_int_equal(subscription_decide_view(&f), SUBSCRIPTION_OK);
}

static void
subscribe(void **state)
{
	struct subscription_mandate_facts m = good_mandate;
	struct subscription_facts f = facts(0, SUBSCRIPTION_PENDING, 0);

	(void)state;
	/* Allowed: never subscribed, or after a rejection. */
	assert_int_equal(subscription_decide_subscribe(&f, &m), SUBSCRIPTION_OK);
	f = facts(1, SUBSCRIPTION_REJECTED, 0);
	assert_int_equal(subscription_decide_subscribe(&f, &m), SUBSCRIPTION_OK);
	f = facts(1, SUBSCRIPTION_REPLACED, 0);
	assert_int_equal(subscription_decide_subscribe(&f, &m), SUBSCRIPTION_OK);
	/* Already subscribed: pending or active. */
	f = facts(1, SUBSCRIPTION_PENDING, 0);
	assert_int_equal(subscription_decide_subscribe(&f, &m),
	    SUBSCRIPTION_ALREADY_SUBSCRIBED);
	f = facts(1, SUBSCRIPTION_ACTIVE, 1);
	assert_int_equal(subscription_decide_subscribe(&f, &m),
	    SUBSCRIPTION_ALREADY_SUBSCRIBED);
	/* The mandate is checked first, the account before its authorizer. */
	m.account_is_company = 0;
	m.authorizer_signs = 0;
	assert_int_equal(subscription_decide_subscribe(&f, &m),
	    SUBSCRIPTION_ACCOUNT_NOT_COMPANY);
	m.account_is_company = 1;
	assert_int_equal(subscription_decide_subscribe(&f, &m),
	    SUBSCRIPTION_AUTHORIZER_NOT_SIGNATORY);
	f = facts(0, SUBSCRIPTION_PENDING, 0);
	assert_int_equal(subscription_decide_subscribe(&f, &m),
	    SUBSCRIPTION_AUTHORIZER_NOT_SIGNATORY);
}

/*
 * A PATCH: who asks, whether it moves the debit account, the company's
 * subscriptions (has_current, status, pending_change), the new mandate,
 * and what the rules say. Each row stands for one rule or one ordering.
 */
static const struct {
	int				mandate, by_signatory;
	int				has_current;
	enum subscription_status	status;
	int				pending_change;
	int				account_ok, authorizer_ok;
	enum subscription_refusal	want;
} changes[] = {
	/* The switches alone: a grant holder may, the mandate facts unread. */
	{ 0, 0, 1, SUBSCRIPTION_PENDING, 0, 0, 0, SUBSCRIPTION_OK },
	{ 0, 0, 1, SUBSCRIPTION_ACTIVE, 1, 0, 0, SUBSCRIPTION_OK },
	{ 0, 1, 1, SUBSCRIPTION_ACTIVE, 1, 0, 0, SUBSCRIPTION_OK },
	/* Nothing to change: never subscribed, or rejected. */
	{ 0, 1, 0, SUBSCRIPTION_PENDING, 0, 1, 1, SUBSCRIPTION_NOT_SUBSCRIBED },
	{ 0, 0, 1, SUBSCRIPTION_REJECTED, 0, 1, 1, SUBSCRIPTION_NOT_SUBSCRIBED },
	/* A new debit account for an active subscription. */
	{ 1, 1, 1, SUBSCRIPTION_ACTIVE, 0, 1, 1, SUBSCRIPTION_OK },
	/* One pending change at a time: a change, or the first subscription. */
	{ 1, 1, 1, SUBSCRIPTION_ACTIVE, 1, 1, 1, SUBSCRIPTION_CHANGE_PENDING },
	{ 1, 1, 1, SUBSCRIPTION_PENDING, 0, 1, 1, SUBSCRIPTION_CHANGE_PENDING },
	/* The new mandate must hold, the account before its authorizer. */
	{ 1, 1, 1, SUBSCRIPTION_ACTIVE, 0, 0, 0, SUBSCRIPTION_ACCOUNT_NOT_COMPANY },
	{ 1, 1, 1, SUBSCRIPTION_ACTIVE, 0, 1, 0, SUBSCRIPTION_AUTHORIZER_NOT_SIGNATORY },
	/* Only a signatory moves the account, before anything about the state. */
	{ 1, 0, 0, SUBSCRIPTION_PENDING, 0, 1, 1, SUBSCRIPTION_CHANGER_NOT_SIGNATORY },
	{ 1, 0, 1, SUBSCRIPTION_ACTIVE, 0, 1, 1, SUBSCRIPTION_CHANGER_NOT_SIGNATORY },
	/* Not subscribed comes before a pending change ... */
	{ 1, 1, 1, SUBSCRIPTION_REJECTED, 1, 1, 1, SUBSCRIPTION_NOT_SUBSCRIBED },
	/* ... and a pending change before the mandate's facts. */
	{ 1, 1, 1, SUBSCRIPTION_ACTIVE, 1, 0, 0, SUBSCRIPTION_CHANGE_PENDING },
};

static void
change(void **state)
{
	struct subscription_change c;
	struct subscription_mandate_facts m;
	struct subscription_facts f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		c.mandate = changes[i].mandate;
		c.contact = 0;
		c.by_signatory = changes[i].by_signatory;
		f = facts(changes[i].has_current, changes[i].status,
		    changes[i].pending_change);
		m.account_is_company = changes[i].account_ok;
		m.authorizer_signs = changes[i].authorizer_ok;
		if (subscription_decide_change(&f, &c, &m) != changes[i].want)
			fail_msg("row %zu: %d, not %d", i, subscription_decide_change(&f, &c, &m),
			    changes[i].want);
	}
}

static struct subscription_review_facts
pending_review(void)
{
	struct subscription_review_facts f;

	memset(&f, 0, sizeof(f));
	f.exists = 1;
	f.status = SUBSCRIPTION_PENDING;
	f.reviewer_signs = 0;
	memcpy(f.submitted_by, "29835600001", 12);
	f.mandate.account_is_company = 1;
	f.mandate.authorizer_signs = 1;
	return f;
}

/*
 * Where statements and cards go (issue 11 §2): a change of the statement
 * email, the mobile or the delivery address needs a signatory, whatever
 * else the PATCH holds; the same values again are no change.
 */
static void
contact_change(void **state)
{
	struct subscription_mandate_facts m = { 1, 1 };
	struct subscription_facts f = facts(1, SUBSCRIPTION_ACTIVE, 0);
	struct subscription_change c = { 0, 1, 0 };

	(void)state;
	/* A RENEWAL_MANAGE holder: refused, before anything about the state. */
	assert_int_equal(subscription_decide_change(&f, &c, &m),
	    SUBSCRIPTION_CONTACT_NOT_SIGNATORY);
	f = facts(0, SUBSCRIPTION_PENDING, 0);
	assert_int_equal(subscription_decide_change(&f, &c, &m),
	    SUBSCRIPTION_CONTACT_NOT_SIGNATORY);
	/* With the debit account too, the account's refusal is said first. */
	c.mandate = 1;
	assert_int_equal(subscription_decide_change(&f, &c, &m),
	    SUBSCRIPTION_CHANGER_NOT_SIGNATORY);
	/* A signatory may, on a pending or an active subscription. */
	c.mandate = 0;
	c.by_signatory = 1;
	f = facts(1, SUBSCRIPTION_ACTIVE, 0);
	assert_int_equal(subscription_decide_change(&f, &c, &m), SUBSCRIPTION_OK);
	f = facts(1, SUBSCRIPTION_PENDING, 0);
	assert_int_equal(subscription_decide_change(&f, &c, &m), SUBSCRIPTION_OK);
	/* The holder's other switches stay theirs. */
	c.contact = 0;
	c.by_signatory = 0;
	assert_int_equal(subscription_decide_change(&f, &c, &m), SUBSCRIPTION_OK);
}

/* An approval re-checks the mandate; a rejection does not need it. */
static void
review_mandate(void **state)
{
	struct subscription_review_facts f = pending_review();
	struct subscription_review_outcome o;

	(void)state;
	f.mandate.authorizer_signs = 0;
	assert_int_equal(subscription_decide_review(&f, "reviewer1", 1, &o),
	    SUBSCRIPTION_MANDATE_AUTHORIZER_LAPSED);
	assert_int_equal(subscription_decide_review(&f, "reviewer1", 0, &o), SUBSCRIPTION_OK);
	/* The account first. */
	f.mandate.account_is_company = 0;
	assert_int_equal(subscription_decide_review(&f, "reviewer1", 1, &o),
	    SUBSCRIPTION_MANDATE_ACCOUNT_LAPSED);
	f.mandate.authorizer_signs = 1;
	assert_int_equal(subscription_decide_review(&f, "reviewer1", 1, &o),
	    SUBSCRIPTION_MANDATE_ACCOUNT_LAPSED);
	assert_int_equal(subscription_decide_review(&f, "reviewer1", 0, &o), SUBSCRIPTION_OK);
	/* Separation of duties still comes before: the reviewer learns nothing. */
	f.reviewer_signs = 1;
	assert_int_equal(subscription_decide_review(&f, "reviewer1", 1, &o),
	    SUBSCRIPTION_OWN_COMPANY);
}

static void
review_allowed(void **state)
{
	struct subscription_review_facts f = pending_review();
	struct subscription_review_outcome o;

	(void)state;
	/* Approving replaces the active one. */
	memset(&o, 0xff, sizeof(o));
	assert_int_equal(subscription_decide_review(&f, "reviewer1", 1, &o), SUBSCRIPTION_OK);
	assert_int_equal(o.new_status, SUBSCRIPTION_ACTIVE);
	assert_int_equal(o.replaces_active, 1);
	/* Rejecting leaves the active one in force. */
	memset(&o, 0xff, sizeof(o));
	assert_int_equal(subscription_decide_review(&f, "reviewer1", 0, &o), SUBSCRIPTION_OK);
	assert_int_equal(o.new_status, SUBSCRIPTION_REJECTED);
	assert_int_equal(o.replaces_active, 0);
}

static void
review_refused(void **state)
{
	struct subscription_review_facts f;
	struct subscription_review_outcome o;
	int approve;

	(void)state;
	for (approve = 0; approve < 2; approve++) {
		f = pending_review();
		f.exists = 0;
		assert_int_equal(subscription_decide_review(&f, "reviewer1", approve, &o),
		    SUBSCRIPTION_UNKNOWN);
		f = pending_review();
		f.status = SUBSCRIPTION_ACTIVE;
		assert_int_equal(subscription_decide_review(&f, "reviewer1", approve, &o),
		    SUBSCRIPTION_NOT_PENDING);
		f.status = SUBSCRIPTION_REJECTED;
		assert_int_equal(subscription_decide_review(&f, "reviewer1", approve, &o),
		    SUBSCRIPTION_NOT_PENDING);
		/* Separation of duties, the company first. */
		f = pending_review();
		assert_int_equal(subscription_decide_review(&f, "29835600001", approve, &o),
		    SUBSCRIPTION_OWN_SUBMISSION);
		f.reviewer_signs = 1;
		assert_int_equal(subscription_decide_review(&f, "29835600001", approve, &o),
		    SUBSCRIPTION_OWN_COMPANY);
		assert_int_equal(subscription_decide_review(&f, "reviewer1", approve, &o),
		    SUBSCRIPTION_OWN_COMPANY);
		/* A prefix of the submitter is somebody else. */
		f = pending_review();
		assert_int_equal(subscription_decide_review(&f, "2983560000", approve, &o),
		    SUBSCRIPTION_OK);
	}
}

/* The answers the handlers gave before the rules had their own file. */
static void
answers(void **state)
{
	static const struct {
		enum subscription_refusal why;
		const char *code;
		int status;
		const char *field, *message;
	} want[] = {
		{ SUBSCRIPTION_NEVER_SUBSCRIBED, "not_subscribed", 404, NULL,
		  "the company has never subscribed" },
		{ SUBSCRIPTION_NOT_SUBSCRIBED, "not_subscribed", 409, NULL,
		  "the company has no pending or active subscription" },
		{ SUBSCRIPTION_CHANGER_NOT_SIGNATORY, "not_signatory", 403, NULL,
		  "only a signatory may change the debit account" },
		{ SUBSCRIPTION_ALREADY_SUBSCRIBED, "already_subscribed", 409, NULL,
		  "the company already has a active subscription (RN-ABCD-EFGH)" },
		{ SUBSCRIPTION_CHANGE_PENDING, "change_pending", 409, NULL,
		  "a subscription or debit account change is already waiting for review" },
		{ SUBSCRIPTION_ACCOUNT_NOT_COMPANY, "account_not_company", 400, "iban",
		  "the bank holds no account with this IBAN for this company" },
		{ SUBSCRIPTION_AUTHORIZER_NOT_SIGNATORY, "not_signatory", 400,
		  "authorizing_qid",
		  "the person authorizing debits must be an active signatory of the company" },
		{ SUBSCRIPTION_UNKNOWN, "unknown_subscription", 404, "reference",
		  "no subscription with this reference" },
		{ SUBSCRIPTION_NOT_PENDING, "not_pending", 409, NULL,
		  "the subscription is active, not pending" },
		{ SUBSCRIPTION_OWN_COMPANY, "separation_of_duties", 403, NULL,
		  "a reviewer cannot review a company they sign for" },
		{ SUBSCRIPTION_OWN_SUBMISSION, "separation_of_duties", 403, NULL,
		  "a reviewer cannot review their own submission" },
		{ SUBSCRIPTION_CONTACT_NOT_SIGNATORY, "not_signatory", 403, NULL,
		  "only a signatory may change where statements and renewed cards go"
		  " (the statement email, the mobile, the delivery address)" },
		{ SUBSCRIPTION_MANDATE_ACCOUNT_LAPSED, "mandate_invalid", 409, "iban",
		  "the bank no longer holds this IBAN for the company: RN-ABCD-EFGH cannot be"
		  " approved (reject it)" },
		{ SUBSCRIPTION_MANDATE_AUTHORIZER_LAPSED, "mandate_invalid", 409,
		  "authorizing_qid",
		  "the person who authorized the debits of RN-ABCD-EFGH is no longer an active"
		  " signatory of the company: it cannot be approved (reject it)" },
	};
	const struct subscription_answer *a;
	char msg[192];
	size_t i;

	(void)state;
	/* Every refusal is in the table, and answered as the API documents. */
	assert_int_equal(sizeof(want) / sizeof(want[0]), SUBSCRIPTION__MAX - 1);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		a = subscription_refusal_answer(want[i].why);
		assert_string_equal(a->code, want[i].code);
		assert_int_equal(a->http_status, want[i].status);
		if (want[i].field == NULL)
			assert_null(a->field);
		else
			assert_string_equal(a->field, want[i].field);
		subscription_refusal_message(want[i].why, "active", "RN-ABCD-EFGH",
		    msg, sizeof(msg));
		assert_string_equal(msg, want[i].message);
	}
	assert_string_equal(subscription_refusal_answer(SUBSCRIPTION__MAX)->code, "internal");
}

static void
message_fits(void **state)
{
	char msg[16];

	(void)state;
	/* Truncated, never overrun, and always terminated. */
	memset(msg, 'x', sizeof(msg));
	subscription_refusal_message(SUBSCRIPTION_ALREADY_SUBSCRIBED, "pending",
	    "RN-ABCD-EFGH", msg, sizeof(msg));
	assert_string_equal(msg, "the company alr");
	/* Cut inside a fill. */
	subscription_refusal_message(SUBSCRIPTION_NOT_PENDING, "replaced", NULL, msg,
	    sizeof(msg) - 2);
	assert_string_equal(msg, "the subscript");
	subscription_refusal_message(SUBSCRIPTION_ALREADY_SUBSCRIBED, "replaced", NULL,
	    msg + 10, 1);
	assert_string_equal(msg, "the subscr");
}

static void
message_fills(void **state)
{
	char msg[96];

	(void)state;
	/* Missing fills read as empty. */
	subscription_refusal_message(SUBSCRIPTION_ALREADY_SUBSCRIBED, NULL, NULL,
	    msg, sizeof(msg));
	assert_string_equal(msg, "the company already has a  subscription ()");
	/* A fill cut at the end of the buffer. */
	subscription_refusal_message(SUBSCRIPTION_NOT_PENDING, "replaced", NULL, msg, 24);
	assert_string_equal(msg, "the subscription is rep");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(statuses),
		cmocka_unit_test(view),
		cmocka_unit_test(subscribe),
		cmocka_unit_test(change),
		cmocka_unit_test(review_allowed),
		cmocka_unit_test(review_refused),
		cmocka_unit_test(contact_change),
		cmocka_unit_test(review_mandate),
		cmocka_unit_test(answers),
		cmocka_unit_test(message_fits),
		cmocka_unit_test(message_fills),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
