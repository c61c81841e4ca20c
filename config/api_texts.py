"""The English texts of the organisation API's OpenAPI document, for the documentation page.

The OpenAPI document itself stays English (developers' tools read it). The page at
/api/profielen/v1/docs shows each of these texts in the page's language: listed here with
gettext_noop, `make messages` puts them in locale/, and config/api_docs.py looks them up. A text
that is not here (yet) is shown in English with lang="en"; tests/test_api_docs.py fails on the
Dutch page until it is added and translated.
"""

from django.utils.translation import gettext_noop

OPENAPI_TEXTS = frozenset(
    {
        # info and headers
        gettext_noop(
            "Contact details of ondernemers and burgers for government organisations, only for "
            "a registered purpose (doelbinding) with a legal basis, and only with consent where "
            "that basis is consent. Every read is logged per Logboek Dataverwerkingen."
        ),
        gettext_noop("The full version of this API (semver)."),
        gettext_noop("RFC 9457 problem details."),
        # operations
        gettext_noop("Contact details of one ondernemer or burger, for one purpose"),
        gettext_noop("Contact details of at most 100 ondernemers or burgers, for one purpose"),
        gettext_noop("Your organisation's purposes"),
        gettext_noop("Send a message to an ondernemer or burger"),
        gettext_noop("How a message you sent was delivered"),
        gettext_noop("Register an address for status changes of your messages"),
        gettext_noop("Your addresses for status changes"),
        gettext_noop("Stop sending status changes to an address"),
        gettext_noop("Your HTTPS address that receives a CloudEvent for every status change."),
        gettext_noop(
            "The key (Standard Webhooks, whsec_...) to check the webhook-signature header with. "
            "Shown only now: keep it safe."
        ),
        # responses
        gettext_noop("OK"),
        gettext_noop("Created"),
        gettext_noop("No Content"),
        gettext_noop("Bad Request"),
        gettext_noop("Forbidden"),
        gettext_noop("Not Found"),
        gettext_noop("Conflict"),
        gettext_noop("The input is not valid; invalidParams says which and why."),
        gettext_noop("No valid bearer token."),
        gettext_noop(
            "Not allowed. Among others: this API client is not confirmed yet by a second person "
            "(code client_not_confirmed)."
        ),
        gettext_noop(
            "Too many requests: per minute (code rate_limited), or the API client's daily volume "
            "for this purpose is used up (code daily_volume_exceeded). Wait as long as "
            "Retry-After says."
        ),
        gettext_noop("The processing could not be logged, so no data was given; try again later."),
        gettext_noop("The body is larger than the upload limit."),
        gettext_noop("The body is not sent as application/json."),
        # fields and parameters
        gettext_noop("When the person confirmed it."),
        gettext_noop("The kind of number."),
        gettext_noop("BSN or RSIN: 9 digits passing the elfproef; KvK-nummer: 8 digits."),
        gettext_noop("12 digits: one branch of a KvK-nummer."),
        gettext_noop("ISO 3166-1 alpha-2 country code."),
        gettext_noop("The address as written on an envelope."),
        gettext_noop("The id of one of your organisation's purposes."),
        gettext_noop("False when some identifiers gave no data."),
        gettext_noop("200, or the status a single read would have answered."),
        gettext_noop("Why not, when status is not 200."),
        gettext_noop("Why it failed or was refused."),
        gettext_noop("Same case and kind as this earlier message: nothing sent again."),
        gettext_noop("One of your organisation's purposes."),
        gettext_noop("The message, in B1 Dutch."),
        gettext_noop("Your case reference."),
        gettext_noop("One line; runs of white space become one space."),
        gettext_noop("Your unique key for this message: sending it again changes nothing."),
        # bulkmeldingen and delivery states (wt-bulk)
        gettext_noop("Read it back by its id."),
        gettext_noop("Deliveries per channel and status."),
        gettext_noop("How a message to many people is going"),
        gettext_noop("How many people the last request named."),
        gettext_noop("Messages accepted for delivery."),
        gettext_noop("People refused, per reason."),
        gettext_noop("Per person, in the order asked: only in the answer to the POST."),
        gettext_noop("Same case and kind as an earlier message to that person: not sent again."),
        gettext_noop("Send one message to many ondernemers or burgers"),
        gettext_noop("The message's id, for GET /meldingen/{id}."),
        gettext_noop("The people to send it to; maxItems says how many at most."),
        gettext_noop("Why refused: invalid_identifier, not_found or no_consent."),
        gettext_noop(
            "Your unique key for this batch: sending it again sends only to whom it did not "
            "reach yet, and answers for everyone."
        ),
        gettext_noop(
            "queued: waiting to be sent. sending: being sent now; if it stays so, a stopped worker "
            "left it uncertain whether it arrived, and staff check and decide. sent: delivered to "
            "the inbox, handed to the mail or SMS service, or to the post. retrying: a passing "
            "failure; tried again at volgendePogingOp. failed: not delivered; reden says why."
        ),
    }
)
