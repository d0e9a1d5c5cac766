"""A Python client generated from the OpenAPI document drives the service end to end.

Run by .ci/run (and by hand): `python3 tests/contract/generated_client.py target/debug/tradezone`.
It writes the document with `tradezone openapi`, generates a client with openapi-python-client
(every operation must be generated, with no warning), starts the service on an empty SQLite
database, and through the generated code only: registers an exporter and a buyer, has an admin
verify both, creates and publishes a listing, searches for it by text, category and
certification, and places an order with an Idempotency-Key, reading typed answers.
"""

import io
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

CONFIG = """\
content_type_overrides:
  text/csv: application/octet-stream
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
  application/problem+json: application/json
  application/pdf: application/octet-stream
  application/ofd: application/octet-stream
  application/xml: application/octet-stream
"""

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
PASSWORD = "lantern kettle harbour"


def credit_code() -> str:
    first = "9133010071" + "".join(random.choice("0123456789") for _ in range(7))
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first, CREDIT_WEIGHTS))
    return first + CREDIT_CHARS[(31 - total % 31) % 31]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fail(message: str) -> None:
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    binary = Path(sys.argv[1] if len(sys.argv) > 1 else "target/debug/tradezone").resolve()
    work = Path(tempfile.mkdtemp(prefix="tradezone-client-"))
    document = work / "openapi.json"
    document.write_text(subprocess.run([binary, "openapi"], check=True, capture_output=True, text=True).stdout)
    (work / "config.yml").write_text(CONFIG)
    generated = subprocess.run(
        ["openapi-python-client", "generate", "--path", str(document), "--meta", "none",
         "--config", str(work / "config.yml"), "--output-path", str(work / "client")],
        capture_output=True, text=True,
    )
    output = generated.stdout + generated.stderr
    if generated.returncode != 0 or "WARNING" in output or "Warning" in output:
        fail(f"the generator did not take the whole document:\n{output}")
    sys.path.insert(0, str(work / "client"))
    sys.path.insert(0, str(work))

    env = dict(os.environ, DATABASE_URL=str(work / "tradezone.db"))
    env.pop("TEST_DATABASE_URL", None)
    subprocess.run([binary, "create-admin", "--email", "admin@client.cn"], input=PASSWORD,
                   text=True, check=True, env=env, cwd=work, capture_output=True)
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"], env=env, cwd=work,
                              stdout=subprocess.DEVNULL, stderr=open(work / "server.log", "w"))
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        run(base)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print("generated client: search, order, payments, invoices and after-sales OK")


def run(base: str) -> None:
    from client import AuthenticatedClient, Client
    from client.api.admin import verify_organization
    from client.api.auth import login, register
    from client.api.catalog import create_listing, publish_listing, search_listings
    from client.api.orders import place_orders
    from client.models import (
        BuyerType, Certification, CheckoutLine, CheckoutRequest, ListingInput, LoginRequest,
        OrganizationInput, OrganizationInputKind, PlacedOrders, PriceTier, Problem, Province,
        RegisterRequest, Unit, VerificationDecision, VerificationDecisionDecision, Warehouse,
    )

    anonymous = Client(base_url=base)

    def signed_up(email: str, kind: str):
        organization = OrganizationInput(
            name=f"Org of {email}", kind=OrganizationInputKind(kind), credit_code=credit_code(),
            province=Province.ZHEJIANG,
        )
        if kind == "exporter":
            organization.customs_code = "3302960ABC"
        else:
            organization.buyer_type = BuyerType.SUPERMARKET
        answer = register.sync(client=anonymous, body=RegisterRequest(
            email=email, password=PASSWORD, name="Li Wei", organization=organization))
        if isinstance(answer, Problem) or answer is None:
            fail(f"register {email}: {answer}")
        return answer

    exporter = signed_up("sales@flasks.cn", "exporter")
    buyer = signed_up("purchasing@mart.cn", "buyer")
    tokens = login.sync(client=anonymous, body=LoginRequest(email="admin@client.cn", password=PASSWORD))
    if isinstance(tokens, Problem) or tokens is None:
        fail(f"admin login: {tokens}")
    admin = AuthenticatedClient(base_url=base, token=tokens.access_token)
    for registered in (exporter, buyer):
        verified = verify_organization.sync(
            client=admin, id=registered.organization.id,
            body=VerificationDecision(decision=VerificationDecisionDecision.APPROVE))
        if isinstance(verified, Problem) or verified is None:
            fail(f"verify: {verified}")

    seller = AuthenticatedClient(base_url=base, token=exporter.access_token)
    listing = create_listing.sync(client=seller, body=ListingInput(
        sku="VF-500", title="不锈钢保温杯 Vacuum flask 500 ml", category_id="drinkware",
        unit=Unit.PIECE, moq=10, stock=500,
        price_tiers=[PriceTier(min_qty=10, unit_price_cents=1250), PriceTier(min_qty=100, unit_price_cents=1100)],
        lead_time_days=7, origin_province=Province.ZHEJIANG,
        warehouse=Warehouse.DOMESTIC, description="Export stock",
        certifications=[Certification.CE],
    ))
    if isinstance(listing, Problem) or listing is None:
        fail(f"create listing: {listing}")
    published = publish_listing.sync(client=seller, id=listing.id)
    if isinstance(published, Problem) or published is None or published.status != "published":
        fail(f"publish: {published}")

    found = search_listings.sync(client=anonymous, q="保温", category="drinkware",
                                 certification=[Certification.CE], limit=20)
    if isinstance(found, Problem) or found is None or [i.id for i in found.items] != [listing.id]:
        fail(f"search: {found}")

    purchaser = AuthenticatedClient(base_url=base, token=buyer.access_token)
    key = str(uuid.uuid4())
    request = CheckoutRequest(
        lines=[CheckoutLine(listing_id=listing.id, quantity=120)],
        delivery_address="88 Huaihai Road, Shanghai",
        delivery_province=Province.SHANGHAI,
    )
    placed = place_orders.sync(client=purchaser, body=request, idempotency_key=key)
    if not isinstance(placed, PlacedOrders):
        fail(f"order: {placed}")
    order = placed.orders[0]
    if order.total_cents != 120 * 1100 or order.lines[0].title != listing.title:
        fail(f"order figures: {order}")
    again = place_orders.sync(client=purchaser, body=request, idempotency_key=key)
    if not isinstance(again, PlacedOrders) or again.orders[0].id != order.id:
        fail(f"replay: {again}")
    refused = place_orders.sync_detailed(client=purchaser, idempotency_key=str(uuid.uuid4()), body=CheckoutRequest(
        lines=[CheckoutLine(listing_id=listing.id, quantity=1)], delivery_address="x",
        delivery_province=Province.SHANGHAI))
    if refused.status_code != 422 or not isinstance(refused.parsed, Problem) or refused.parsed.code != "below_moq":
        fail(f"below MOQ: {refused.status_code} {refused.parsed}")

    # Payments: net terms, a bank statement that pays one order by its reference, a line of
    # the review queue allocated by hand, a refund refused past what was paid, the record.
    from client.api.payments import (
        allocate, list_lines, order_payments, payment_record, put_seller_terms, refund,
    )
    from client.models import (
        AllocationRequest, EntryView, ImportSummary, OrderPayments, PaymentRecord,
        RefundRequest, TermsRequest,
    )
    terms = put_seller_terms.sync(client=seller, body=TermsRequest(kind="net", net_days=30))
    if isinstance(terms, Problem) or terms is None or terms.net_days != 30:
        fail(f"terms: {terms}")
    on_credit = place_orders.sync(client=purchaser, body=request, idempotency_key=str(uuid.uuid4()))
    if not isinstance(on_credit, PlacedOrders) or on_credit.orders[0].payment.terms.kind != "net":
        fail(f"order on terms: {on_credit}")
    credit_order = on_credit.orders[0]
    cents = credit_order.total_cents
    csv = (f"交易日期,收入金额,附言\n2026-12-04,{cents // 100}.{cents % 100:02d},货款 "
           f"{credit_order.payment.remittance_ref}\n2026-12-04,10.00,其他\n")
    # The generator cannot send a raw CSV body (its str bodies are broken): the client's own
    # HTTP session sends it, and the answer is read with the generated model.
    answer = seller.get_httpx_client().post(
        "/api/v1/bank-statements", params={"file_name": "statement.csv"},
        content=csv.encode("gb18030"), headers={"content-type": "text/csv"})
    summary = ImportSummary.from_dict(answer.json()) if answer.status_code == 201 else answer.text
    if not isinstance(summary, ImportSummary) or (summary.matched, summary.review) != (1, 1):
        fail(f"statement: {summary}")
    paid = order_payments.sync(client=seller, id=credit_order.id)
    if not isinstance(paid, OrderPayments) or paid.status != "paid" or len(paid.entries) != 1:
        fail(f"paid: {paid}")
    queue = list_lines.sync(client=seller)
    if isinstance(queue, Problem) or queue is None or len(queue.items) != 1:
        fail(f"queue: {queue}")
    entry = allocate.sync(client=seller, id=queue.items[0].id,
                          body=AllocationRequest(order_id=order.id, amount_cents=1000))
    if not isinstance(entry, EntryView) or entry.kind != "payment":
        fail(f"allocation: {entry}")
    too_much = refund.sync_detailed(client=seller, id=order.id, body=RefundRequest(amount_cents=2000))
    if too_much.status_code != 409 or not isinstance(too_much.parsed, Problem) or too_much.parsed.code != "refund_exceeds_paid":
        fail(f"refund: {too_much.status_code} {too_much.parsed}")
    record = payment_record.sync(client=seller, id=buyer.organization.id)
    if not isinstance(record, PaymentRecord):
        fail(f"record: {record}")

    # Invoices: a profile, a special invoice asked for on the paid order, issued with its PDF
    # (a multipart form), downloaded, reversed, and the month's statement.
    from client.api.invoices import (
        create_invoice_profile, download_invoice, invoice_statement, issue_invoice,
        request_invoice, reverse_invoice,
    )
    from client.models import (
        InvoiceRequestBody, InvoiceStatement, InvoiceView, IssueUpload, ProfileRequest,
        ProfileView, ReversalBody,
    )
    from client.types import File
    profile = create_invoice_profile.sync(client=purchaser, body=ProfileRequest(
        invoice_title="Org of purchasing@mart.cn", taxpayer_id=credit_code(),
        address="88 Huaihai Road, Shanghai", phone="021-6888 0000",
        bank_name="ICBC Shanghai", bank_account="1001 2000 3000 4000"))
    if not isinstance(profile, ProfileView) or not profile.complete_for_special:
        fail(f"profile: {profile}")
    asked = request_invoice.sync(client=purchaser, id=credit_order.id, body=InvoiceRequestBody(
        kind="special", profile_id=profile.id))
    if not isinstance(asked, InvoiceView) or asked.requested_cents != cents:
        fail(f"invoice request: {asked}")
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    issued = issue_invoice.sync(client=seller, id=asked.id, body=IssueUpload(
        invoice_number="26442000000012345678", issued_on=today, amount_cents=cents,
        file=File(payload=io.BytesIO(pdf), file_name="fapiao.pdf", mime_type="application/pdf")))
    if not isinstance(issued, InvoiceView) or issued.status != "issued":
        fail(f"issue: {issued}")
    got = download_invoice.sync_detailed(client=purchaser, id=asked.id)
    if got.status_code != 200 or got.content != pdf:
        fail(f"download: {got.status_code}")
    reversed_ = reverse_invoice.sync(client=seller, id=asked.id, body=ReversalBody(reason="refund"))
    if not isinstance(reversed_, InvoiceView) or reversed_.status != "reversed":
        fail(f"reversal: {reversed_}")
    statement = invoice_statement.sync(client=seller, month=today[:7])
    if not isinstance(statement, InvoiceStatement) or statement.net_cents != 0 or len(statement.lines) != 2:
        fail(f"invoice statement: {statement}")

    # After-sales: the order delivered, a claim for two damaged flasks agreed and settled
    # with a refund on the ledger; the statement of account shows it.
    from client.api.orders import confirm, deliver, open_case, ship, take_step
    from client.api.payments import account_statement
    from client.models import (
        AccountStatement, CaseView, ClaimLine, ClaimRequest, ShipInput, StepRequest,
    )
    for step in (lambda: confirm.sync(client=seller, id=credit_order.id),
                 lambda: ship.sync(client=seller, id=credit_order.id,
                                   body=ShipInput(carrier="SF", tracking_number="SF100")),
                 lambda: deliver.sync(client=purchaser, id=credit_order.id)):
        moved = step()
        if isinstance(moved, Problem) or moved is None:
            fail(f"order step: {moved}")
    case = open_case.sync(client=purchaser, id=credit_order.id, body=ClaimRequest(
        remedy="refund", reason="two flasks dented", lines=[ClaimLine(line_no=1, quantity=2)],
        refund_cents=2200))
    if not isinstance(case, CaseView) or case.status != "open":
        fail(f"claim: {case}")
    agreed = take_step.sync(client=seller, id=case.id, step="agree", body=StepRequest(version=case.version))
    if not isinstance(agreed, CaseView) or agreed.status != "agreed":
        fail(f"agree: {agreed}")
    stale = take_step.sync_detailed(client=seller, id=case.id, step="settle", body=StepRequest(version=case.version))
    if stale.status_code != 409 or not isinstance(stale.parsed, Problem) or stale.parsed.code != "case_changed":
        fail(f"stale step: {stale.status_code} {stale.parsed}")
    settled = take_step.sync(client=seller, id=case.id, step="settle", body=StepRequest(version=agreed.version))
    if not isinstance(settled, CaseView) or settled.status != "resolved":
        fail(f"settle: {settled}")
    refunded = order_payments.sync(client=seller, id=credit_order.id)
    if not isinstance(refunded, OrderPayments) or refunded.refunded_cents != 2200:
        fail(f"refund: {refunded}")
    account = account_statement.sync(client=seller, org_id=buyer.organization.id)
    if not isinstance(account, AccountStatement) or account.refunded_cents != 2200:
        fail(f"statement of account: {account}")


if __name__ == "__main__":
    main()
