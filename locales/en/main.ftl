# The web front in English. Every message here has its twin in ../zh-CN/main.ftl.

site-name = Tradezone
site-tagline = Export-quality goods at home
skip-to-content = Skip to the content
nav-label = Account
nav-login = Sign in
nav-logout = Sign out
switch-language = 中文
footer = Export-quality goods for the domestic market
back-home = Back to the home page

## Home
home-title = Home
home-heading = Export-standard goods, now for the domestic market
home-intro = Foreign trade enterprises list their surplus and export-standard stock; supermarkets, department stores, hotels, caterers and e-commerce platforms buy it in dedicated zones and through green-channel requests.
home-exporters = { $count ->
    [one] 1 verified exporter
   *[other] { $count } verified exporters
}
home-buyers = { $count ->
    [one] 1 verified buyer
   *[other] { $count } verified buyers
}
home-green-requests = { $count ->
    [0] No open green-channel request
    [one] 1 open green-channel request
   *[other] { $count } open green-channel requests
}
home-live-zones = Zones open now
home-upcoming-zones = Coming soon
home-no-zones = No zone is open right now.
home-new-listings = New on the market
home-all-listings = All listings

## Search
search-title = Find goods
search-label = Search
search-placeholder = Product, brand or SKU, e.g. towel
search-button = Search
search-all = All listings
search-for = Results for “{ $q }”
search-nothing = Nothing matches. Try fewer words or another filter.
search-count = { $count ->
    [one] { $count } listing found
   *[other] { $count } listings found
}
facets-label = Narrow the results
filter-any = Any
sort-newest = Newest first
sort-price_asc = Price, low to high
sort-price_desc = Price, high to low
sort-relevance = Best match
pager-label = Pages
pager-first = First page
pager-next = Next page
pager-previous = Previous page
pager-page = Page { $page }

## Fields (also used to name what is wrong in a form)
field-q = Search words
field-category = Category
field-province = Province
field-certification = Certifications
field-warehouse = Warehouse
field-sort = Sort by
field-seller = Seller
field-limit = Page size
field-cursor = Page
field-zone = Zone
field-min_price_cents = Lowest price
field-max_price_cents = Highest price
field-in_stock = In stock
field-email = Email
field-password = Password

## Listings
listing-as-low-as = as low as { $price }
listing-moq = MOQ { $count } { $unit }
listing-tier-from = from { $count } { $unit }
listing-stock = { $count } { $unit } available
listing-lead-time = { $days ->
    [one] 1 day
   *[other] { $days } days
}
listing-prices = Prices
listing-quantity = Quantity
listing-unit-price = Unit price
listing-moq-label = Minimum order
listing-stock-label = Stock
listing-lead-time-label = Lead time
listing-markets = Exported to
listing-brand = Brand
listing-hs-code = HS code
listing-seller = Seller
listing-zones = In these zones
listing-description = Description
listing-sold-out = Sold out
lines-count = { $count ->
    [one] 1 line
   *[other] { $count } lines
}
seller-rating = Rated { $rating } / 5
seller-no-rating = Not rated yet

warehouse-domestic = Domestic warehouse
warehouse-bonded = Bonded warehouse
warehouse-overseas = Overseas warehouse

unit-piece = pieces
unit-carton = cartons
unit-kg = kg
unit-set = sets
unit-box = boxes
unit-pair = pairs
unit-dozen = dozen
unit-bag = bags
unit-bottle = bottles
unit-roll = rolls
unit-meter = metres
unit-ton = tonnes
unit-liter = litres

## Zones
zone-kind-online_zone = Online zone
zone-kind-store_counter = Store counter
zone-kind-exhibition = Exhibition
zone-kind-livestream = Livestream
zone-state-live = Open now
zone-state-upcoming = Coming soon
zone-state-over = Over
zone-state-always = Open
zone-from = from { $date }
zone-until = until { $date }
zone-listings-count = { $count ->
    [one] 1 listing
   *[other] { $count } listings
}
zone-search-label = Search this zone
zone-empty = No listing is in this zone yet.

## Organizations
org-kind-exporter = Foreign trade enterprise
org-kind-buyer = Buyer
org-kind-operator = Zone operator
buyer-type-supermarket = Supermarket
buyer-type-department_store = Department store
buyer-type-hotel = Hotel
buyer-type-catering = Catering group
buyer-type-ecommerce_platform = E-commerce platform
buyer-type-wholesaler = Wholesaler
org-rating = { $count ->
    [one] Rated { $rating } / 5 in 1 review
   *[other] Rated { $rating } / 5 in { $count } reviews
}
org-green-channel = Green channel
org-listings = Listings

## Signing in
login-title = Sign in
login-button = Sign in
login-wrong = Wrong email or password.
login-too-many = Too many attempts. Wait a few minutes and try again.
login-forgot = Forgot your password?

## Mailed links
verify-heading = Confirm your email address
verify-intro = Press the button to confirm that this address is yours.
verify-button = Confirm email
verify-done-heading = Email confirmed
verify-done = Thank you: your email address is confirmed.
link-dead-heading = This link does not work
link-dead = The link is unknown, expired or already used. Sign in and ask for a new one.
reset-heading = Choose a new password
reset-intro = Every device signed in to your account will be signed out.
invitation-heading = Welcome to Tradezone
invitation-intro = Choose a password to finish setting up your account.
password-new-label = New password (at least 10 characters)
password-save = Save password
password-saved-heading = Password saved
password-saved = Your password is set. You can now sign in.

## Errors
not-found-title = Page not found
not-found-text = There is no page at this address.
error-bad-request-title = Something in the request is wrong
error-bad-request = The page could not read what was sent. Go back, check the form and send it again.
error-forbidden-title = Not allowed
error-forbidden = You may not do this, or the form was outdated or came from another site. Reload the page and try again.
error-not-found-title = Not found
error-not-found = What you are looking for does not exist, or is not public.
error-conflict-title = That did not work
error-conflict = It changed meanwhile or the values are not accepted. Reload the page and try again.
error-too-many-title = Too many requests
error-too-many = Please wait a moment before trying again.
error-busy-title = Busy right now
error-busy = The marketplace is busy or being maintained. Nothing you sent was lost; try again in a few seconds.
error-failed-title = Something went wrong
error-failed = We could not finish this. Nothing was changed; please try again later.
reset-request-title = Reset your password
reset-request-intro = Enter the email address of your account. We mail you a link that lets you choose a new password; it works once, for one hour.
reset-request-button = Mail me a link
reset-request-sent = If an account exists for this address, a link is on its way. Check your inbox.

## Certifications
cert-ccc = CCC
cert-ce = CE
cert-fda = FDA
cert-iso9001 = ISO 9001
cert-three_same = Three-same (same line, standard, quality)
cert-bay_area_standard = Greater Bay Area standard
cert-gb_compliant = GB compliant
cert-chinese_label_ready = Chinese label ready

## Registration
nav-register = Register
register-title = Register your organization
register-intro = Foreign trade enterprises list goods; supermarkets, department stores, hotels, caterers, e-commerce platforms and wholesalers buy them. Our team verifies every organization before it trades.
form-has-errors = Some fields need your attention; see the notes next to them.
register-organization = Your organization
register-org-name = Registered name
register-kind = We are a
register-buyer-type = Type of buyer
register-buyer-type-none = (exporters: leave empty)
register-buyer-type-hint = Buyers only. Supermarkets, department stores and e-commerce platforms may also run zones.
register-credit-code = Unified social credit code
register-credit-code-hint = The 18 characters on your business licence (GB 32100-2015): digits and capital letters without I, O, S, V or Z; the last one is a check character, so a typo is caught here.
register-customs-code = Customs registration code
register-customs-code-hint = Exporters only: the 10 letters or digits of your customs registration.
register-owner = You, the account's owner
register-your-name = Your name
register-password-hint = At least 10 characters; not a common password and not your email.
register-button = Register
register-have-account = Already registered?
register-email-taken = This email is already registered. Sign in, or reset the password.
register-credit-code-taken = An organization with this credit code is already registered.
org-profile-title = Organization details
org-profile-link = Organization details
org-saved = The organization's details were saved.
org-resubmitted = Sent for review again; you will be told when the platform decides.
org-rejected-title = The platform did not verify your organization
org-rejected-no-reason = The platform gave no reason.
org-rejected-how = Correct the details below as the reason says, say what you changed, and send them for review again.
org-rejected-ask-owner = Ask your organization's owner or a manager to correct its details and send them for review again.
org-resubmit-note = What you changed (for the platform)
org-resubmit = Send for review again
org-rejected-notice = { $org } was not verified by the platform.
org-rejected-notice-link = See why and resubmit
org-pending-notice = { $org } is waiting for verification by our team. Confirm your email address with the link we sent you; you can trade once verified.
org-suspended-notice = { $org } is suspended by the platform: its listings are off the market and it cannot take new orders, confirm or ship until it is reinstated. Orders already placed can still be cancelled; contact the platform to be reinstated.

## Procurement list and orders
nav-list = Procurement list
nav-orders = Orders
list-title = Procurement list
list-empty = Your list is empty. Add goods from listing and zone pages.
list-total = Total
list-item = Goods
list-line-total = Amount
list-remove = Remove
list-update = Update
list-add = Add to procurement list
checkout-title = Place the orders
checkout-intro = One order goes to each seller; all are placed together or none. Zone prices apply to goods added from a zone.
checkout-not-verified = Your organization can order once our team has verified it.
checkout-button = Place orders
checkout-refused = The orders were not placed; see the notes below.
field-delivery_address = Delivery address
field-delivery_province = Delivery province
field-note = Note to the seller
field-quantity = Quantity
field-listing_id = Listing
field-zone_id = Zone
field-lines = Lines
field-carrier = Carrier
field-tracking_number = Tracking number
field-rating = Rating
field-comment = Comment
orders-placed = My orders
orders-received = Orders received
orders-just-placed = { $count ->
    [one] Your order is placed.
   *[other] Your { $count } orders are placed, one per seller.
}
orders-none = No orders yet.
orders-none-found = No orders match.
orders-all = All orders
orders-count = { $count ->
    [one] { $count } order
   *[other] { $count } orders
}
orders-search = Find by order number or the other party's name
orders-search-platform = Find by order number, buyer or seller name, or credit code
order-parties = Buyer → seller
orders-back = All orders
order-number = Order
order-party = With
order-status = Status
order-placed-at = Placed
order-buyer = Buyer:
order-seller = Seller:
order-next-steps = What you can do now
order-reason = Reason (optional)
order-action = { $action ->
    [confirm] Confirm the order
    [ship] Mark as shipped
    [deliver] Confirm delivery
    [complete] Complete the order
    [cancel] Cancel the order
    [dispute] Open a dispute
   *[other] { $action }
}
order-rating = Your rating
order-comment = Comment (optional)
order-review-button = Send the review
order-review = Review
order-reviewed = Thank you: your review is saved. The seller and other buyers will see it.
review-rating = { $rating } of 5 stars
org-reviews = Reviews from buyers ({ $count })
org-reviews-none = No reviews yet.
review-by = From { $who }
review-by-buyer = a buyer
order-history = History
order-status-placed = Placed
order-status-confirmed = Confirmed
order-status-shipped = Shipped
order-status-delivered = Delivered
order-status-completed = Completed
order-status-cancelled = Cancelled
order-status-disputed = Disputed
problem-list_empty = Your procurement list is empty: nothing was ordered.
problem-list_changed = Your procurement list changed meanwhile (another window or colleague checked it out or changed it). Look at it again before ordering.
problem-organization_not_verified = Your organization can order once our team has verified it.
problem-forbidden = You may not do this.
problem-quote_revised = The exporter revised this quote after you saw it. Its new terms are shown below: review them and accept again if they suit you.
problem-organization_suspended = This organization is suspended: it cannot trade until our team reinstates it.
problem-stock_changed = The stock changed since the form was opened (orders were placed meanwhile). The current stock is shown: check it and save again.
problem-validation_failed = Some fields are not filled in correctly.
problem-bad_request = The request could not be read.
problem-unauthorized = Please sign in first.
problem-not_found = Nothing was found here.
problem-method_not_allowed = This address does not take that kind of request.
problem-conflict = This conflicts with a change made at the same time. Reload the page and try again.
problem-invalid_transition = This cannot be done in the current state. Reload the page to see it.
problem-rate_limited = Too many attempts. Wait a moment and try again.
problem-payload_too_large = What was sent is larger than the limit.
problem-unsupported_media_type = This type of file or content is not accepted.
problem-database_busy = The marketplace is busy. Try again in a moment.
problem-database_unavailable = The marketplace cannot reach its data right now. Try again later.
problem-unavailable = The service cannot answer right now. Try again later.
problem-shutting_down = The service is restarting. Try again in a moment.
problem-internal_error = Something went wrong on our side. Try again; if it persists, contact the platform.
problem-already_applied = This listing is already pending or approved in the zone.
problem-already_requested = A request is already waiting for the platform's answer.
problem-already_reviewed = This order has been reviewed already.
problem-amount_too_large = The amount is larger than the limit of one order.
problem-below_moq = Some quantities are below the minimum order quantity.
problem-credit_code_taken = An organization with this unified social credit code is already registered.
problem-csrf_failed = This form has expired. Reload the page and send it again.
problem-email_taken = This email address is already registered.
problem-green_channel_required = Only green-channel organizations can do this.
problem-idempotency_key_reused = This order form was already used for a different order. Reload the page and order again.
problem-insufficient_stock = There is not enough stock for this quantity; nothing was reserved.
problem-invalid_token = This link or code is not valid or has expired.
problem-last_owner = An organization needs at least one owner.
problem-rule_violation = This breaks a rule of the marketplace.
problem-sku_taken = You already have a listing with this SKU.
problem-slug_taken = A zone with this address already exists.
problem-too_many_images = This listing has the most images allowed.

## Exporter workspace
nav-my-listings = My listings
field-status = Status
my-listings-title = My listings
my-listings-none = No listing here yet. Import a spreadsheet to add many at once.
my-listings-select = Select
my-listings-actions = Actions
my-listings-publish-checked = Publish the checked listings
my-listings-none-checked = Check the listings to publish first.
my-listings-action = { $action ->
    [publish] Publish
    [pause] Pause
    [archive] Archive
   *[other] { $action }
}
my-listings-changed = The listing is now { $status }.
my-listings-published = { $count ->
    [one] 1 listing published.
   *[other] { $count } listings published.
}{ $refused ->
    [0] {""}
   *[other] { " " }{ $refused } could not be published (not a draft or paused any more).
}
listing-status-draft = Draft
listing-status-published = Published
listing-status-paused = Paused
listing-status-archived = Archived
listing-status-sold_out = Sold out
listing-status-suspended = Suspended
import-title = Import listings
import-intro = Upload a CSV (UTF-8 or GBK) or XLSX file with one listing per row; rows with a SKU you have already update that listing. Nothing is written unless every row is right. Prices go in the prices column in yuan: 10:12.50;100:11.00 is ¥12.50 each from 10, ¥11.00 from 100 (the price_tiers column of older files, in cents, still imports). An export carries an exported_stock column (the stock when exported): imported again, stock moves by what you changed, so units sold since the export are not given back.
import-template = Download your listings in the same columns
import-file = Spreadsheet (CSV or XLSX)
import-dry-run = Check only, write nothing
import-button = Upload
import-no-file = Choose a file to upload.
import-too-large = The file is too large.
import-row = Row
import-column = Column
import-problem = What is wrong
import-tier = Price tier { $n }
import-prices = Prices
field-prices = Prices
import-bad-rows = { $count ->
    [one] 1 problem in the file; nothing was imported. Fix it and upload the file again.
   *[other] { $count } problems in the file; nothing was imported. Fix them and upload the file again.
}
import-would = The file is fine: it would create { $created } and update { $updated } listings. Upload it again without “Check only” to import it.
import-done = Imported: { $created } created, { $updated } updated, { $published } published.
import-publish-drafts = Publish the drafts

## Zone operators and admins
my-zones-title = My zones
my-zones-none = You run no zone yet.
my-zones-public-page = Public page
queue-title = Applications
queue-pending-count = { $count ->
    [0] No application waiting
    [one] 1 application waiting
   *[other] { $count } applications waiting
}
queue-pending-only = Waiting only
queue-show-all = All applications
queue-empty = No application is waiting.
queue-due = Review by
queue-overdue = Overdue
queue-zone-price = Zone price
queue-featured = Feature it
queue-approve = Approve
queue-reject = Reject
application-status-pending = Waiting
application-status-approved = Approved
application-status-rejected = Rejected
application-status-withdrawn = Withdrawn
application-status-removed = Removed
admin-title = Verification
admin-search = Find by name or unified social credit code
admin-count = { $count ->
    [one] 1 organization
   *[other] { $count } organizations
}
admin-none = Nobody here.
admin-approve = Verify
admin-reject = Reject
admin-green-on = Grant the green channel
admin-green-off = End the green channel
admin-green-granted = { $org } is now on the green channel.
admin-green-ended = { $org } is no longer on the green channel.
admin-decided = { $org } is now { $status }.
org-status-pending = Waiting for verification
org-status-verified = Verified
org-status-rejected = Rejected
org-status-suspended = Suspended
reports-title = Reports
report-from = From
report-to = To
report-show = Show
report-download = Download:
report-orders = { $count ->
    [one] 1 order
   *[other] { $count } orders
}
report-units = { $count } units
report-other = Other
report-earlier = Earlier
report-by-month = GMV by month
report-by-zone = GMV by zone
report-by-province = GMV by province
report-by-category = GMV by category
report-budgets = Budget against spend
report-outside-zones = Outside zones
field-from = From
field-to = To
report-exporters = { $count ->
    [one] 1 exporter sold
   *[other] { $count } exporters sold
}
report-buyers = { $count ->
    [one] 1 buyer bought
   *[other] { $count } buyers bought
}
report-no-data = No orders in this period.

## Mails and notifications (sent in the recipient's language)
mail-greeting = Hello { $name },
mail-or-open = Or open this link:
mail-signature = Tradezone, the export-to-domestic marketplace
notice-open = Open in Tradezone
mail-confirm-subject = Confirm your email address
mail-confirm-welcome = Welcome to Tradezone. { $org } is registered and waits for verification by our team.
mail-confirm-ask = Please confirm your email address; the link is valid for 48 hours.
mail-confirm-button = Confirm email
mail-reset-subject = Reset your Tradezone password
mail-reset-body = Someone asked to reset the password of your Tradezone account. The link is valid for one hour and works once.
mail-reset-ignore = If it was not you, ignore this mail: your password stays as it is.
mail-reset-button = Choose a new password
mail-invite-subject = { $org } invited you to Tradezone
mail-invite-body = { $inviter } added you to { $org } on Tradezone as { $role ->
    [owner] an owner
    [manager] a manager
   *[other] a member
}.
mail-invite-ask = Choose a password to sign in; the link is valid for 7 days.
mail-invite-button = Set your password
notice-org-verified-title = Your organization is verified
notice-org-verified-body = { $org } is verified: you can now trade on Tradezone.{ $has_note ->
    [yes] { " " }Note from the platform: { $note }
   *[no] {""}
}
notice-org-rejected-title = Your organization was not verified
notice-org-rejected-body = The verification of { $org } was declined.{ $has_note ->
    [yes] { " " }Note from the platform: { $note }
   *[no] {""}
}
notice-org-suspended-title = Your organization is suspended
notice-org-suspended-body = { $org } is suspended: trading is paused until the platform lifts the suspension.{ $has_note ->
    [yes] { " " }Note from the platform: { $note }
   *[no] {""}
}
notice-green-granted-title = Green channel granted
notice-green-granted-body = { $org } now has green-channel status: fast-tracked zone applications and purchase requests.
notice-green-withdrawn-title = Green channel withdrawn
notice-green-withdrawn-body = { $org } no longer has green-channel status.
notice-password-set-title = Your Tradezone password was set
notice-password-set-body = The password of your account was set and every other session was signed out. If this was not you, reset your password at once.
notice-listing-suspended-title = Listing suspended: { $title }
notice-listing-suspended-body = The platform suspended your listing “{ $title }” ({ $sku }).{ $has_note ->
    [yes] { " " }Note from the platform: { $note }
   *[no] {""}
}
notice-listing-reinstated-title = Listing reinstated: { $title }
notice-listing-reinstated-body = The platform reinstated your listing “{ $title }” ({ $sku }). It is paused now: check it and publish it again.{ $has_note ->
    [yes] { " " }Note from the platform: { $note }
   *[no] {""}
}
notice-listing-reinstatement-declined-title = Reinstatement declined: { $title }
notice-listing-reinstatement-declined-body = The platform did not reinstate your listing “{ $title }” ({ $sku }).{ $has_note ->
    [yes] { " " }Note from the platform: { $note }
   *[no] {""}
} You may correct it and ask again.
notice-order-placed-title = New order from { $buyer }
notice-order-placed-body = { $buyer } placed an order of { $total } ({ $lines ->
    [one] 1 line
   *[other] { $lines } lines
}).
notice-order-changed-title = { $by ->
    [buyer] Order { $status ->
        [delivered] received
        [completed] completed
        [cancelled] cancelled
        [disputed] disputed
       *[other] { $status }
    } by the buyer
   *[seller] Your order is { $status ->
        [confirmed] confirmed
        [shipped] shipped
        [cancelled] cancelled
       *[other] { $status }
    }
}
notice-order-shipped-body = Order { $order } shipped with { $carrier }, tracking number { $tracking }.
notice-order-changed-body = Order { $order } is { $status ->
    [confirmed] confirmed
    [delivered] delivered
    [completed] completed
    [cancelled] cancelled
    [disputed] disputed
   *[other] { $status }
}.{ $has_note ->
    [yes] { " " }{ $note }
   *[no] {""}
}
notice-quote-received-title = Quote received: { $request }
notice-quote-received-body = { $exporter } quotes { $price } per unit for { $quantity } { $unit }.
notice-quote-not-chosen = Quote not chosen: { $request }
notice-quote-accepted-title = Quote accepted: { $request }
notice-quote-accepted-body = Your quote was accepted; an order of { $total } is placed.
notice-quote-closed = Quote { $status ->
    [withdrawn] withdrawn
   *[rejected] rejected
}: { $request }
notice-request-green-title = Green-channel purchase request: { $request }
notice-request-invited-title = You are invited to quote: { $request }
notice-request-body = { $buyer } wants { $quantity } { $unit } of “{ $request }” delivered to { $province } by { $date }.
notice-request-cancelled = Purchase request cancelled: { $request }
notice-application-approved-title = Approved in { $zone }
notice-application-approved-body = “{ $listing }” is now in the zone { $zone }.{ $has_note ->
    [yes] { " " }Note from the curator: { $note }
   *[no] {""}
}
notice-application-declined-title = Not accepted in { $zone }
notice-application-declined-body = “{ $listing }” was not accepted in the zone { $zone }.{ $has_note ->
    [yes] { " " }Note from the curator: { $note }
   *[no] {""}
}
notice-application-green-title = Green-channel application in { $zone }
notice-application-new-title = New application in { $zone }
notice-application-body = { $exporter } applied “{ $listing }” to the zone{ $green ->
    [yes] { " " }through the green channel: review it within 24 hours.
   *[no] .
}

## Purchase requests and quotes
nav-requests = Purchase requests
requests-mine = Your purchase requests
requests-for-me = Purchase requests for you
requests-for-me-intro = Open requests in your categories and those you are invited to; green-channel requests come first.
requests-none = No purchase requests here.
requests-back = ← All purchase requests
request-post = Post a purchase request
request-post-intro = Exporters of the category see your request and send quotes; you compare them side by side and accept one, which places the order.
request-post-button = Post the request
request-what = What you need
request-where-when = Delivery and deadline
request-target-hint = Optional. Per unit, in yuan, for example 12.50.
request-expires-hint = Quotes are taken until the end of this day (China time).
request-green = Green channel
request-green-check = Fast-track this request through the green channel: every exporter of the category is told at once.
request-terms-hint = Optional. The days within which you pay after delivery (0 to 365).
request-expires = Quotes taken until
request-commitments = Buyer's commitments
request-pays-within = { $days ->
    [one] pays within { $days } day
   *[other] pays within { $days } days
}
request-fees-waived = no platform fees for the exporter
request-cancel = Cancel this request
request-cancelled = The request is cancelled; the exporters who quoted are told.
request-quotes = { $count ->
    [0] No quotes yet
    [one] 1 quote
   *[other] { $count } quotes
}
request-no-quotes = No exporter has quoted yet. You get a notification for each quote.
request-your-quote = Your quote
request-not-quoted = You have not quoted on this request yet.
request-status-open = Open
request-status-awarded = Awarded
request-status-cancelled = Cancelled
request-status-expired = Expired
quote-status-submitted = Submitted
quote-status-accepted = Accepted
quote-status-rejected = Rejected
quote-status-withdrawn = Withdrawn
quote-status-expired = Expired
quote-earlier = Earlier versions
quote-accept = Accept and place the order
quote-reject = Reject
quote-withdraw = Withdraw the quote
quote-send = Send a quote
quote-revise = Revise your quote
quote-sent = Your quote is sent; the buyer is told.
quote-rejected-notice = The quote is rejected; the exporter is told.
quote-withdrawed-notice = Your quote is withdrawn; the buyer is told.
quote-accepted-notice = The quote is accepted.
choose-one = Choose…
field-title = Title
field-category_id = Category
field-description = Description
field-title_en = English title
field-description_en = English description
listing-in-english = English title and description (optional)
listing-in-english-hint = English readers see these; without them they see the Chinese ones. Both languages are searched.
field-unit = Unit
field-target_price = Target unit price (¥)
field-needed_by = Needed by
field-expires_on = Quotes taken until
field-required_certifications = Required certifications
field-green_channel = Green channel
field-payment_terms_days = Payment within (days)
field-visibility = Visibility
field-invited_org_ids = Invited exporters
field-unit_price = Unit price (¥)
field-lead_time_days = Lead time (days)
field-valid_until = Valid until
field-message = Message to the buyer

## Listing form
listing-new = New listing
listing-edit = Edit listing
listing-new-intro = A new listing is a draft: add images, then publish it from your listings.
listing-back-to-mine = ← My listings
listing-what = The goods
listing-selling = Selling terms
listing-origin = Origin and certifications
listing-tier-qty = From quantity
listing-tiers-hint = Up to 10 tiers; the first starts at the minimum order, each next one at a larger quantity with a lower or equal price. Prices in yuan, e.g. 12.50.
listing-markets-hint = Countries the goods were made for, as two-letter codes separated by commas, e.g. US, DE, JP.
listing-create = Create the draft
listing-save = Save changes
listing-created = The draft is created. Add images, then publish it.
listing-saved = Changes saved.
listing-sku-taken = Your organization already has a listing with this SKU.
listing-images = Images
listing-no-images = No images yet.
listing-view-public = See the listing's page
listing-edit-link = Edit
image-file = Image file
image-hint = JPEG, PNG or WebP, 5 MB at most; up to 8 images.
image-upload = Upload the image
image-remove = Remove
image-added = The image is added.
image-removed = The image is removed.
image-no-file = Choose an image file first.
image-not-an-image = That file is not a JPEG, PNG or WebP image.
image-too-large = An image may be at most 5 MB.
field-sku = SKU
field-moq = Minimum order
field-stock = Stock
field-price_tiers = Price tiers
field-origin_province = Origin province
field-export_markets = Export markets
field-brand = Brand
field-hs_code = HS code
field-certifications = Certifications
moderation-title = Moderation
moderation-note = Why the listing is suspended
moderation-hint = The seller reads this note; the listing leaves search and every zone at once.
moderation-suspend = Suspend the listing
field-reinstatement_note = What you changed
suspension-title = The platform suspended this listing
suspension-reason = Reason: { $reason }
suspension-no-reason = The platform gave no reason.
reinstatement-how = Correct the listing as the reason says and save it, then say what you changed and ask for it to come back. Once the platform agrees, it comes back paused and you publish it again.
reinstatement-note = What you changed
reinstatement-ask = Ask to reinstate
reinstatement-asked = Your request was sent; you will be told when the platform answers.
reinstatement-waiting = You asked on { $at } for this listing to come back; the platform has not answered yet:
moderation-reinstate = Reinstate
moderation-decline = Decline
moderation-decline-note = Why not
moderation-reinstate-hint = The listing comes back paused; its seller checks it and publishes it again.
moderation-reinstated = The listing was reinstated and its seller told.
moderation-declined = The seller was told the listing stays suspended.
suspended-title = Suspended listings
suspended-search = Find by title, SKU or seller
suspended-requested-only = Asking to come back
suspended-all = All
suspended-count = { $count ->
    [one] { $count } suspended listing
   *[other] { $count } suspended listings
}
suspended-none = No suspended listings.
suspended-asked = Asked on { $at }:

## Zone applications
nav-applications = Zone applications
applications-title = Your zone applications
applications-intro = Apply from a zone's page. Curators review within { $days } days, green-channel exporters' applications within { $hours } hours.
applications-none = No applications here.
application-zone-price = Zone price (¥)
application-review-due = Review due
application-withdraw = Withdraw
application-withdrawn = The application is withdrawn.
application-sent = The application is sent; the zone's curators review it.
application-approved-at-once = The listing is in the zone: as a green-channel exporter meeting its rules, you were approved at once.
apply-title = Put one of your listings in this zone
apply-no-listings = You have no published listing to apply with.
apply-zone-price-hint = Optional. A unit price for this zone's buyers, below your price at the minimum order.
apply-note = Note to the curators
apply-button = Apply
field-zone_price_cents = Zone price
field-zone_price = Zone price

## Zone form
zone-new = New zone
zone-edit = Edit zone
zone-back-to-mine = ← My zones
zone-new-intro = A new zone is a draft: set its rules, then open it to applications.
zone-about = The zone
zone-schedule = Schedule and budget
zone-schedule-hint = Exhibitions and livestreams need both dates; online zones and store counters may run without an end. Days are in China time.
zone-budget-hint = Optional. The procurement budget in yuan, shown in reports against spend.
zone-rules = Entry rules
zone-categories-hint = Listings of these categories may apply (a category includes its sub-categories). Choose none to accept any.
zone-slug-hint = The zone's address: 3 to 60 lower-case letters, digits and hyphens, e.g. spring-kitchen-fair. Left empty, it is made from the name (in pinyin).
zone-slug-taken = Another zone has this address already.
zone-create = Create the draft
zone-save = Save changes
zone-created = The zone is created as a draft.
zone-saved = Changes saved.
zone-queue-link = Applications queue
zone-status-draft = Draft
zone-status-active = Active
zone-status-closed = Closed
zone-status-changed = The zone is now { $status }.
zone-action = { $action ->
    [activate] Open the zone
   *[close] Close the zone
}
field-name = Name
field-slug = Address (slug)
field-kind = Kind
field-starts_on = Starts on
field-ends_on = Ends on
field-budget = Budget (¥)
field-category_ids = Categories
field-green_channel_auto_approve = Approve green-channel exporters that meet the rules at once

## Audit log and outbox
audit-title = Audit log
audit-action = Action (or part: verified, suspend)
audit-object = Object (id or order number)
audit-actor = Actor (email, name or user id)
audit-at = When
audit-details = Details
audit-filter = Filter
applications-count = { $count ->
    [one] { $count } application
   *[other] { $count } applications
}
requests-count = { $count ->
    [one] { $count } purchase request
   *[other] { $count } purchase requests
}
my-listings-count = { $count ->
    [one] { $count } listing
   *[other] { $count } listings
}
audit-count = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}
outbox-count = { $count ->
    [one] { $count } mail
   *[other] { $count } mails
}
notifications-count = { $count ->
    [one] { $count } notification
   *[other] { $count } notifications
}
audit-none = No entries match.
audit-system = the system
field-actor = Actor
outbox-title = Mail outbox
outbox-intro = Every mail goes out through the outbox and is retried with growing delays; a mail that failed every attempt waits here to be retried by hand.
outbox-status-failed = Failed
outbox-status-pending = Waiting
outbox-status-sent = Sent
outbox-recipient = To
outbox-subject = Subject
outbox-attempts = Attempts
outbox-when = Next attempt or sent
outbox-retry = Retry
outbox-retried = The mail is queued again.
outbox-none = No mail here.

## Validators' sentences, keyed by their English wording (numbers as $n1, $n2)
check-must-be-one-of = must be one of: { $list }
check-is-required = is required
check-must-be-a-whole-number = must be a whole number
check-must-be-a-positive-whole-number = must be a positive whole number
check-must-be-a-positive-number-of-cents = must be a positive number of cents
check-must-be-an-amount-in-yuan-with-at-most-two-decimals = must be an amount in yuan with at most two decimals
check-must-be-a-date-like-n-n-n = must be a date like { $n1 }-{ $n2 }-{ $n3 }
check-must-be-in-the-future = must be in the future
check-must-not-be-in-the-past = must not be in the past
check-must-be-between-n-and-n = must be between { $n1 } and { $n2 }
check-must-be-at-most-n-characters = must be at most { $n1 } characters
check-credit-code-character = contains '{ $character }', which a unified social credit code cannot hold
check-credit-code-check-character = check character does not match (GB 32100-2015)
check-customs-code = must be 10 letters or digits
check-is-not-a-country-code = is not a country code
check-price-tiers = must look like 10:12.50;100:11.00 (minimum quantity:unit price in yuan)
check-price-tiers-in-cents = must look like 10:1250;100:1100 (minimum quantity:unit price in cents)
check-must-be-a-positive-amount-of-yuan = must be a positive amount of yuan
check-needs-at-least-one-tier = needs at least one tier
check-at-most-n-tiers = at most { $n1 } tiers
check-the-first-tier-must-start-at-the-moq-n = the first tier must start at the MOQ ({ $n1 })
check-give-the-tiers-once-prices-in-yuan-or-price-tiers-in-cents = give the tiers once: prices (in yuan) or price_tiers (in cents)
check-must-be-at-least-n-characters = must be at least { $n1 } characters
check-is-not-a-known-category = is not a known category
check-must-be-n-characters = must be { $n1 } characters
check-must-have-at-least-n-digits = must have at least { $n1 } digits
check-must-be-within-a-year-from-today = must be within a year from today
check-must-be-n-letters-or-digits = must be { $n1 } letters or digits
check-must-be-an-email-address-like-name-example-com = must be an email address like name@example.com
check-must-be-a-province-level-division-by-its-english-or-chinese-name-e-g-zhejiang-or = must be a province-level division by its English or Chinese name, e.g. Zhejiang or 浙江
check-must-be-n-to-n-lower-case-letters-digits-and-hyphens = must be { $n1 } to { $n2 } lower-case letters, digits and hyphens
check-must-be-after-starts-at = must be after starts_at
check-is-not-a-listing-on-sale = is not a listing on sale
check-must-not-be-higher-than-the-previous-tier-s = must not be higher than the previous tier's
check-must-be-larger-than-the-previous-tier-s = must be larger than the previous tier's
check-must-be-zero-or-more = must be zero or more
check-must-not-contain-control-characters = must not contain control characters
check-must-not-contain-invisible-or-direction-changing-characters = must not contain invisible or direction-changing characters
check-must-be-on-one-line = must be on one line
check-is-n-now = is { $n1 } now
check-must-not-contain-the-nul-character = must not contain the NUL character
check-each-row-needs-a-whole-quantity-and-a-price-in-yuan-with-at-most-two-decimals = each row needs a whole quantity and a price in yuan with at most two decimals
check-is-required-choose-one-of-your-published-listings = is required: choose one of your published listings
check-is-more-than-the-listing-s-stock-now = is more than the listing's stock now
check-must-be-n-to-n-digits-dots-allowed-e-g-n-n = must be { $n1 } to { $n2 } digits (dots allowed), e.g. { $n3 }.{ $n4 }
check-is-not-a-verified-exporter = is not a verified exporter
check-is-not-an-active-zone = is not an active zone
check-is-not-one-of-your-listings = is not one of your listings
check-must-be-n-to-n-printable-ascii-characters-without-spaces = must be { $n1 } to { $n2 } printable ASCII characters without spaces
check-may-hold-digits-spaces-and-only = may hold digits, spaces and + - ( ) only
check-must-not-be-one-character-repeated = must not be one character repeated
check-must-not-be-the-name-of-your-email-address = must not be the name of your email address
check-must-start-with-http-or-https = must start with http:// or https://
check-must-be-a-number-of-cents-between-n-and-n = must be a number of cents between { $n1 } and { $n2 }
check-must-be-true-or-false = must be true or false
check-must-be-a-number = must be a number

## Refusals of a change, keyed by their English wording
check-the-request-is-awarded = the request is awarded
check-the-request-is-cancelled = the request is cancelled
check-the-request-is-expired = the request is expired
check-the-quote-is-rejected = the quote is rejected
check-the-quote-is-withdrawn = the quote is withdrawn
check-the-quote-is-expired = the quote is expired
check-the-quote-is-accepted = the quote is accepted
check-your-quote-was-accepted-already = your quote was accepted already
check-the-quote-changed-meanwhile = the quote changed meanwhile
check-the-quote-or-its-request-changed-meanwhile = the quote or its request changed meanwhile
check-a-closed-zone-cannot-be-changed = a closed zone cannot be changed
check-an-archived-listing-cannot-be-changed = an archived listing cannot be changed
check-the-stock-changed-meanwhile-reload-the-listing-and-try-again = the stock changed meanwhile; reload the listing and try again
check-the-zone-is-closed-now = the zone is closed now
check-the-zone-is-active-now = the zone is active now
check-the-zone-is-draft-it-takes-applications-while-active = the zone is draft; it takes applications while active
check-the-zone-is-closed-it-takes-applications-while-active = the zone is closed; it takes applications while active
check-a-zone-that-is-active-cannot-be-activated = a zone that is active cannot be activated
check-a-zone-that-is-closed-cannot-be-activated = a zone that is closed cannot be activated
check-a-zone-that-is-closed-cannot-be-closed = a zone that is closed cannot be closed
check-the-application-is-withdrawn-now = the application is withdrawn now
check-the-application-is-approved-now = the application is approved now
check-the-application-is-rejected-now = the application is rejected now
check-only-failed-mail-is-retried-this-one-is-pending = only failed mail is retried; this one is pending
check-only-failed-mail-is-retried-this-one-is-sent = only failed mail is retried; this one is sent

## Profile
language-name = English
profile-title = Your account
profile-language = Language
profile-language-hint = Pages, mails and notifications come in this language.
profile-save = Save
profile-saved = Saved.
profile-change-password = Change your password by mail
field-locale = Language
check-is-not-a-known-category-its-id-slug-or-chinese-or-english-name = is not a known category (its id, slug, or Chinese or English name)
quote-listing = Quote with one of your listings
quote-no-listing = No listing (goods to be prepared)
quote-listing-hint = Optional. The quoted quantity is reserved from this listing's stock when the buyer accepts.
quote-listing-link = The quoted listing

## Notifications
nav-notifications = Notifications
notifications-title = Notifications
notifications-unread = { $count ->
    [one] 1 unread
   *[other] { $count } unread
}
notifications-read-all = Mark all read
notifications-none = Nothing yet. Decisions, quotes and orders that concern you show here and come by mail.
notifications-new = New
notifications-open = Open
notifications-mark-read = Mark read
refused-title = Not done
refused-back = Back to the page
request-invited = Invited exporters
request-invited-hint = Only the exporters ticked here see the request and may quote. Untick them all to post it to every exporter of the category.
org-invite-to-quote = Invite to quote

## Labels of the API's other request fields, for errors that name them
field-action = Action
field-budget_cents = Budget (cents)
field-buyer_type = Buyer type
field-contact_phone = Contact phone
field-credit_code = Unified social credit code
field-customs_code = Customs code
field-decision = Decision
field-dry_run = Dry run
field-enabled = Enabled
field-ends_at = Ends at
field-expected_stock = Expected stock
field-expires_at = Quotes close at
field-facets = Facets
field-featured = Featured
field-file = File
field-format = Format
field-ids = Ids
field-min_qty = From quantity
field-mine = My listings
field-new_password = New password
field-object = Object
field-organization = Organization
field-position = Position
field-reason = Reason
field-consignee_name = Consignee
field-consignee_phone = Consignee's phone
field-requested_delivery_date = Deliver by
delivery-date-hint = Optional; the seller sees this day on the order.
field-requested = Asking to come back
field-refresh_token = Refresh token
field-revision = Revision
field-role = Role
field-rules = Entry rules
field-starts_at = Starts at
field-target_unit_price_cents = Target unit price (cents)
field-token = Token
field-unit_price_cents = Unit price (cents)
field-unread = Unread
field-website = Website

## Validator sentences not coded yet, found by their words
check-is-a-filter-of-your-own-listings-add-mine-true = is a filter of your own listings: add mine=true
check-is-below-the-minimum-order-quantity-of-n = is below the minimum order quantity of { $n1 }
check-is-longer-than-n-characters = is longer than { $n1 } characters
check-is-more-than-the-listing-s-stock-now-n = is more than the listing's stock now ({ $n1 })
check-is-not-a-cursor-of-this-search = is not a cursor of this search
check-is-not-a-cursor-this-api-issued = is not a cursor this API issued
check-is-not-a-known-zone = is not a known zone
check-is-one-of-the-most-common-passwords-choose-another = is one of the most common passwords; choose another
check-is-required-for-buyers = is required for buyers
check-is-required-for-exporters = is required for exporters
check-is-required-when-the-other-end-of-the-schedule-is-given = is required when the other end of the schedule is given
check-is-required-zones-of-this-kind-are-scheduled = is required: zones of this kind are scheduled
check-is-required-send-the-image-in-a-multipart-part-named-file = is required: send the image in a multipart part named `file`
check-is-unknown-expired-or-already-used = is unknown, expired or already used
check-must-be-n-to-n = must be { $n1 } to { $n2 }
check-must-be-a-date-yyyy-mm-dd-or-an-rfc-n-time = must be a date (YYYY-MM-DD) or an RFC { $n1 } time
check-must-be-a-whole-number-of-cents = must be a whole number of cents
check-must-be-an-organization-id = must be an organization id
check-must-be-buyer-or-seller = must be buyer or seller
check-below-list-price = must be positive and below the listing's price at its MOQ ({ $price })
check-must-be-zh-cn-or-en = must be zh-CN or en
check-must-hold-n-to-n-ids = must hold { $n1 } to { $n2 } ids
check-only-n-left = only { $n1 } left
request-cancel-confirm = Once cancelled, exporters can no longer quote and the quotes received are rejected. This cannot be undone.
request-cancel-yes = Yes, cancel this request
order-confirm = { $action ->
    [cancel] A cancelled order cannot be restored; its reserved stock goes back. Cancel it?
   *[other] A disputed order waits for the platform. Open a dispute?
}

## Payments: terms, remittance, bank statements, ledger
problem-credit_limit_exceeded = This order would take what you owe this seller past the credit limit it gives you.
problem-line_allocated = Less is left on this bank line than you allocated.
problem-payment_exceeds_due = The order has less left to pay than you allocated.
problem-already_reversed = This payment was reversed already.
problem-refund_exceeds_paid = Refunds cannot exceed what was paid.
check-not-with-terms = is not taken with these terms
check-remittance-reference = must be a remittance reference like TZ 4K7Q 9M2X 3ABC 5
check-statement-columns = no header row naming a booking day (交易日期, Date …) and money received (贷方发生额, 收入金额, Amount …) in the first 30 rows
check-statement-day = must be a day like 2026-12-04
check-statement-amount = must be an amount of yuan like 1,250.00
check-statement-empty = holds no money received
notice-payment-received-title = Payment received for order { $order }
notice-payment-received-body = The seller recorded { $amount } received for order { $order }.
notice-payments-received-title = { $seller } recorded your payments
notice-payments-received-body = { $seller } recorded { $count ->
    [one] a payment
   *[other] { $count } payments
} of { $amount } in total from its bank statement.
notice-payment-refunded-title = Refund recorded for order { $order }
notice-payment-refunded-body = The seller recorded a refund of { $amount } for order { $order }.{ $has_note ->
    [yes] { " " }Note: { $note }
   *[no] {""}
}
field-amount_cents = Amount
field-credit_limit_cents = Credit limit
field-deposit_percent = Deposit (%)
field-file_name = File name
field-net_days = Days to pay after delivery
field-order_id = Order
nav-payments = Payments
terms-prepaid = Payment before shipping
terms-net = Payment within { $days } days of delivery
terms-deposit = { $percent }% deposit before shipping, the rest within { $days } days of delivery
terms-kind-prepaid = Payment before shipping
terms-kind-deposit = Deposit, then the rest on terms
terms-kind-net = Payment N days after delivery
payment-status-unpaid = Unpaid
payment-status-partly_paid = Partly paid
payment-status-paid = Paid
payment-status-overdue = Overdue
payment-status-partly_refunded = Partly refunded
payment-status-refunded = Refunded
payment-due-after-delivery = Counted from delivery
payment-entry-payment = Payment received
payment-entry-reversal = Payment reversed
payment-entry-refund = Refund
payment-title = Payment
payment-reference = Remittance reference
payment-reference-buyer = Write this reference in the memo (附言) of your corporate transfer: the seller's bank statement then names this order.
payment-reference-seller = The buyer writes this reference on its transfer; imported statements are matched by it.
payment-deposit = Deposit
payment-due = Due
payment-paid = Paid
payment-outstanding = still to pay
payment-refunded = Refunded
payment-day = Day
payment-entry = Entry
payment-reverse = Reverse
payment-refund = Record a refund
payment-refund-amount = Amount refunded (yuan, at most { $max })
payment-refund-done = The refund is recorded.
payment-reverse-done = The payment is reversed: the order owes it again and its bank line is back in the queue.
payment-grant-this-buyer = Credit terms for this buyer
payments-title = Bank statements and payments
payments-intro = Import your bank's statement (CSV or XLSX, as the bank exports it): lines whose memo holds an order's remittance reference and pay it are recorded at once; the rest wait here for you to allocate by hand.
statement-file = Bank statement (CSV or XLSX)
statement-file-hint = Lines imported before are skipped; money paid out is left aside.
statement-import = Import statement
statement-imported = { $lines } new lines: { $matched } matched to orders, { $review } waiting for you; { $duplicates } were imported before.
statement-allocated = The payment is recorded on the order.
statement-ignored = The line is set aside.
statement-lines-count = { $count ->
    [one] { $count } line
   *[other] { $count } lines
}
statement-line-review = To allocate
statement-line-allocated = Allocated
statement-line-ignored = Set aside
statement-lines-none = No lines here.
statement-payer = Payer
statement-memo = Memo
statement-reference-unknown = (no order has this reference: perhaps mistyped)
statement-left = Left to allocate
statement-order = Order number or reference
statement-order-hint = e.g. 3F2A9C1E
statement-amount = Amount (yuan)
statement-allocate = Allocate
statement-set-aside = Set aside
statement-set-aside-why = Why this money pays no order
statement-recent = Latest statements
statement-none = No statement imported yet.
statement-imported-at = Imported
statement-lines = Lines
statement-matched = Matched at import
statement-review = Left for review at import
statement-duplicates = Seen before
terms-title = Payment terms and credit
terms-kind = Payment terms
terms-credit-limit = Credit limit (yuan, empty: none)
terms-fields-hint = Days and deposit apply to the terms that take them; the credit limit caps what one buyer may owe you at once on credit.
terms-defaults = Your default terms
terms-current = Now
terms-limit-each = , credit limit { $limit } per buyer
terms-no-limit = No limit
terms-save = Save terms
terms-saved = Your terms are saved; orders placed from now on take them.
terms-frozen = Orders keep the terms they were placed with.
terms-grants = Credit terms for buyers
terms-grants-none = You have not granted credit terms to a buyer.
terms-owed = Owed now
terms-revoke = Withdraw
terms-revoked = The credit terms are withdrawn; the buyer's next orders take your defaults.
terms-grant = Grant credit terms
terms-buyer-credit-code = The buyer's unified social credit code
terms-grant-button = Grant
terms-granted = The credit terms are granted.
check-order-not-found = is not one of your orders: type its number (8 characters) or its remittance reference
check-not-a-verified-buyer = is not the credit code of a verified buyer organization
notice-payment-reminder-title = { $stage ->
    [1] Payment for order { $order } is due on { $due }
    [2] Payment for order { $order } is due today
   *[other] Payment for order { $order } is overdue
}
notice-payment-reminder-body = { $side ->
    [buyer] Order { $order }: { $amount } { $stage ->
        [3] was due on { $due } and is unpaid.
       *[other] is due on { $due }.
    } Transfer it with the order's remittance reference in the memo.
   *[seller] Order { $order }: { $amount } from the buyer { $stage ->
        [3] was due on { $due } and is unpaid.
       *[other] is due on { $due }.
    }
}
record-title = Record of paying
record-summary = { $due } orders fell due: { $on_time } paid on time, { $late } paid late, { $overdue } overdue now, { $open } not due yet.
record-pledges = Green-channel payment pledges: { $kept } kept, { $broken } broken.
doc-order-title = Purchase order
doc-contract-title = Purchase contract
doc-print-hint = Print this page (A4) from your browser.
doc-number = No.
doc-placed-on = Date
doc-buyer = Buyer
doc-seller = Seller
doc-credit-code = Unified social credit code
doc-customs-code = Customs code
doc-province = Province
doc-phone = Phone
doc-total-words = Total in words (RMB)
doc-seal = (seal)
doc-signature = Authorised signature:
doc-date = Date:
contract-preamble = The buyer and the seller agree on the purchase below through the Tradezone marketplace, on these terms:
contract-clause-1 = Goods and price: as listed above; prices include VAT unless stated otherwise.
contract-clause-2 = Quality: export-standard goods matching the listing's description and certifications; the buyer inspects them within 7 days of delivery.
contract-clause-3 = Delivery: to the address above, by the requested day where one is given; risk passes to the buyer on delivery.
contract-clause-4 = Payment: { $terms }, by corporate bank transfer with the remittance reference above in the memo.
contract-clause-5 = After-sales: goods that do not match may be returned or replaced as the parties agree; refunds never exceed what was paid.
contract-clause-6 = Disputes: the parties first seek agreement, then the platform's mediation; failing that, the courts of the seller's place have jurisdiction.
doc-back = ← Back to the order
report-payments-by-zone = Paid on time, by zone
report-payments-by-buyer-type = Paid on time, by buyer type
report-fell-due = Fell due
report-paid-on-time = On time
report-paid-late = Late
report-overdue-now = Overdue now
report-on-time-share = On time
report-none = None
check-bank-account-number = must be an account number: 6 to 40 digits, spaces or hyphens
field-bank_name = Bank (branch)
field-bank_account_name = Account name
field-bank_account_no = Account number
field-receiving_account = Receiving account
field-amount = Amount (yuan)
field-credit_limit = Credit limit (yuan)
colon = :{" "}
payment-note = Note
payment-account = Pay to
payment-deposit-when = (before shipping)
payment-reference-platform = The buyer writes this reference on its transfer; the seller's statements are matched by it.
payment-from = from { $payer }
doc-order-note = Note
statement-bad-rows = { $count ->
    [one] The statement has a problem; nothing was imported. Correct it and upload it again.
   *[other] The statement has { $count } problems; nothing was imported. Correct them and upload it again.
}
terms-account = Account your buyers pay into (shown on their orders)
terms-grant-replaces = Granting terms to a buyer that has some replaces them: its limit and note too.
terms-edit = Change
field-bank = Bank (branch)
field-number = Account number
statement-restore = Back to the queue
statement-restored = The line is back in the queue.
nav-invoices = Invoices
invoices-title = Invoices
invoices-intro-seller = Buyers ask for invoices on their orders; once issued, record the number, day and amount here with the e-invoice file, and reverse it after a return or a cancellation.
invoices-intro-buyer = Ask for a special or an ordinary VAT invoice on an order's page with one of your invoice profiles; download it here once the seller has issued it.
invoices-count = { $count ->
    [one] 1 invoice
   *[other] { $count } invoices
}
invoices-none = No invoices yet.
invoices-statement-month = Month
invoices-statement-format = Format
invoices-statement-download = Download the month's invoice statement
invoice-status-requested = Requested
invoice-status-issued = Issued
invoice-status-reversed = Reversed
invoice-status-withdrawn = Withdrawn
invoice-status-declined = Declined
invoice-kind-special = Special VAT invoice
invoice-kind-ordinary = Ordinary VAT invoice
invoice-reason-cancellation = Order cancelled
invoice-reason-refund = Refund
invoice-reason-return = Goods returned
invoice-reason-mistake = Issued in error
invoice-left = Left to invoice: { $amount }
invoice-nothing-left = Nothing is left to invoice on this order.
invoice-asked = Asked for { $amount }
invoice-download = Download the e-invoice ({ $kind })
invoice-amount-yuan = Amount with tax (yuan)
invoice-issue = Record the issued invoice
invoice-decline = Decline
invoice-reverse = Reverse (red-letter invoice)
invoice-withdraw = Withdraw the request
invoice-request = Ask for an invoice
invoice-no-profile = Add an invoice profile before asking for an invoice.
invoice-reversal-due = The invoices issued come to more than the order does now (it was cancelled or refunded): reverse one and invoice what is left again.
invoice-requested = The invoice was asked for; you will be told when the seller issues it.
invoice-issued = The invoice is recorded and the buyer was told.
invoice-withdrawn = The invoice request was withdrawn.
invoice-declined = The request was declined and the buyer was told.
invoice-reversed = The invoice was reversed and the buyer was told.
invoice-file-too-large = An e-invoice file may be at most 5 MB.
invoice-profiles-title = Invoice profiles
invoice-profiles-intro = The title, taxpayer id, registered address and phone, bank and account your VAT invoices carry. A request copies them onto the order: later changes do not reach invoices asked for.
invoice-profiles-none = No invoice profiles yet.
invoice-profile-complete = Special and ordinary invoices
invoice-profile-ordinary-only = Ordinary invoices only (a special invoice needs the address, phone, bank and account)
invoice-profile-delete = Delete
invoice-profile-add = Add an invoice profile
invoice-profile-change = Change the invoice profile
invoice-profile-save = Save
invoice-profile-cancel-edit = Cancel
invoice-profile-saved = The invoice profile is saved.
invoice-profile-deleted = The invoice profile is deleted.
invoice-profile-special-needs = A special invoice also needs these four:
invoice-col-day = Day
invoice-col-number = Invoice number
invoice-col-reverses = Reverses invoice
invoice-col-kind = Kind
invoice-col-order = Order
invoice-col-buyer = Buyer
invoice-col-seller = Seller
invoice-col-title = Invoice title
invoice-col-taxpayer = Taxpayer id
invoice-col-amount = Amount with tax (CNY)
invoice-col-status = Status
invoice-col-net = Net for the month
field-invoice_title = Invoice title
field-taxpayer_id = Taxpayer id
field-address = Registered address
field-phone = Phone
field-bank_account = Bank account number
field-profile_id = Invoice profile
field-invoice_number = Invoice number
field-issued_on = Issued on
field-reversal_number = Red-letter invoice number
field-month = Month
check-invoice-number = must be the invoice's number: 8 digits, or 20 for a fully digital invoice
check-needed-for-special-invoice = is needed on a special VAT invoice: complete the invoice profile first
check-not-after-today = must not be after today
check-month = must be a year and month like 2026-12
check-invoice-profile = is not one of your organization's invoice profiles
check-invoice-file-type = must be the e-invoice as a PDF, an OFD or an XML document
check-invoice-file-unreadable = starts like a PDF, OFD or XML document but is not a whole, readable one
problem-invoice_requested = An invoice was asked for on this order already and is waiting for the seller.
problem-nothing_to_invoice = Nothing is left to invoice on this order.
problem-invoice_exceeds_total = The amount is more than is left to invoice: the order's total less refunds and invoices issued.
problem-invoice_number_taken = An invoice with this number was recorded already.
problem-invoice_closed = This invoice was dealt with meanwhile; reload to see where it stands.
notice-invoice-requested-title = Invoice asked for on order { $order }
notice-invoice-requested-body = The buyer asks for a { $kind } on order { $order } for { $amount }.{ $has_note ->
    [yes] { " " }Note: { $note }
   *[no] {""}
}
notice-invoice-issued-title = The invoice for order { $order } is issued
notice-invoice-issued-body = The seller issued invoice { $number } for { $amount } on order { $order }; download it from the order's page.
notice-invoice-withdrawn-title = Invoice request on order { $order } withdrawn
notice-invoice-withdrawn-body = The buyer withdrew its invoice request on order { $order }.
notice-invoice-declined-title = Invoice request on order { $order } declined
notice-invoice-declined-body = The seller did not invoice order { $order }.{ $has_note ->
    [yes] { " " }Why: { $note }
   *[no] {""}
}
notice-invoice-reversed-title = The invoice for order { $order } was reversed
notice-invoice-reversed-body = The seller reversed invoice { $number } on order { $order } ({ $reason }).{ $has_note ->
    [yes] { " " }Note: { $note }
   *[no] {""}
}
field-counterparty = Counterparty
account-title = Statement of account
account-show = Show
account-download-xlsx = Download XLSX
account-balance = Owed now
account-overdue = Of which overdue
account-uninvoiced = Not invoiced yet
account-period = Dealings { $period }
account-nothing = Nothing happened in this period.
account-period-total = Period total
account-outstanding = Orders not paid in full
account-outstanding-none = Every order is paid.
account-col-day = Day
account-col-kind = Kind
account-col-order = Order
account-col-reference = Document / status
account-col-charged = Charged (CNY)
account-col-received = Received (CNY)
account-col-refunded = Refunded (CNY)
account-col-invoiced = Invoiced (CNY)
account-kind-order = Order
account-kind-payment = Payment
account-kind-reversal = Payment reversed
account-kind-refund = Refund
account-kind-invoice = Invoice
account-kind-invoice_reversed = Invoice reversed
remedy-refund = Refund only
remedy-return_refund = Return and refund
remedy-replacement = Replacement
remedy-none = Reject the claim
case-status-open = Waiting for the seller
case-status-offered = The seller offers something else
case-status-refused = Refused by the seller
case-status-escalated = With the platform
case-status-agreed = Agreed, to be settled
case-status-returning = Goods on their way back
case-status-resolved = Settled
case-status-withdrawn = Withdrawn
case-step-agree = Agree to the claim
case-step-offer = Offer something else
case-step-refuse = Refuse
case-step-accept = Accept the seller's offer
case-step-escalate = Ask the platform
case-step-decide = Decide
case-step-return = Goods sent back
case-step-settle = Settled (refund recorded / goods received / replacement sent)
case-step-withdraw = Withdraw the claim
after-sales-title = After-sales
after-sales-open = Open an after-sales claim
after-sales-intro = Pick the goods and quantities concerned, say what is wrong and ask for a refund, a return and refund, or a replacement. If the seller has not answered within { $days } days, or refuses or offers something else, you may ask the platform.
after-sales-quantity = Quantity (of { $bought })
after-sales-refund-yuan = Refund asked (yuan)
after-sales-asked = Asked: { $remedy } { $amount }
after-sales-offer = Seller's offer: { $remedy } { $amount }
after-sales-outcome = Outcome: { $remedy } { $amount }
after-sales-respond-by = The seller answers by { $at }
after-sales-decided = Decided by the platform
after-sales-opened = The claim was sent; the seller was told.
after-sales-step-done = Done: { $step }.
after-sales-none = No after-sales claims.
after-sales-queue = After-sales disputes
after-sales-queue-intro = Claims the buyer and the seller did not agree on and brought to the platform. Open the order to read both sides and decide.
order-status-after_sales_opened = After-sales claim opened
order-status-after_sales_agree = The seller agreed to the claim
order-status-after_sales_offer = The seller offered something else
order-status-after_sales_refuse = The seller refused the claim
order-status-after_sales_accept = The buyer accepted the seller's offer
order-status-after_sales_escalate = Brought to the platform
order-status-after_sales_decide = Decided by the platform
order-status-after_sales_return = The buyer sent the goods back
order-status-after_sales_settle = After-sales settled
order-status-after_sales_withdraw = The buyer withdrew the claim
notice-case-title = After-sales news on order { $order }
notice-case-opened-body = The buyer opened an after-sales claim on order { $order }: { $remedy } { $amount }.{ $has_note ->
    [yes] { " " }Why: { $note }
   *[no] {""}
}
notice-case-step-body = After-sales on order { $order }: { $step }.{ $has_note ->
    [yes] { " " }Note: { $note }
   *[no] {""}
}
notice-case-escalated-title = After-sales on order { $order } brought to the platform
notice-case-escalated-body = The buyer and the seller of order { $order } did not agree on an after-sales claim; please read it and decide.
problem-case_open = An after-sales claim is open on this order already.
problem-case_changed = The claim moved on meanwhile; reload it and decide again.
problem-too_early = The seller still has time to answer; the platform can be asked after that.
field-remedy = Remedy
field-refund_cents = Refund
field-refund = Refund
field-version = Version
field-line_no = Order line
notice-case-unanswered-body = The seller did not answer the after-sales claim on order { $order } in time; either side may now ask the platform.
reason-required = Why
after-sales-refund-step = Refund (yuan)
check-refund-up-to = must be more than nothing and at most { $max } (what the goods concerned cost)
check-period = must be on or before the last day, and the period at most { $days } days
