//! The tables, shared by both backends (see migrations/postgres and migrations/sqlite).

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    organizations (id) {
        id -> Uuid,
        name -> Text,
        kind -> Text,
        buyer_type -> Nullable<Text>,
        credit_code -> Text,
        province -> Text,
        customs_code -> Nullable<Text>,
        description -> Nullable<Text>,
        website -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        status -> Text,
        green_channel -> Bool,
        rating -> Nullable<Double>,
        review_count -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        status_note -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    users (id) {
        id -> Uuid,
        organization_id -> Uuid,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        email_verified -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        locale -> Nullable<Text>,
        credentials_version -> Integer,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    procurement_list_items (user_id, listing_id) {
        user_id -> Uuid,
        listing_id -> Uuid,
        zone_id -> Nullable<Uuid>,
        quantity -> Integer,
        added_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    web_sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_hash -> Text,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    refresh_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        family_id -> Uuid,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    one_time_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        purpose -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    login_attempts (id) {
        id -> Uuid,
        email -> Text,
        ip -> Text,
        succeeded -> Bool,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    audit_log (id) {
        id -> Uuid,
        actor_user_id -> Nullable<Uuid>,
        actor_organization_id -> Nullable<Uuid>,
        action -> Text,
        object_type -> Text,
        object_id -> Text,
        details -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    outbox (id) {
        id -> Uuid,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    notifications (id) {
        id -> Uuid,
        user_id -> Uuid,
        kind -> Text,
        title -> Text,
        body -> Text,
        link -> Nullable<Text>,
        read_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    categories (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        name_zh -> Text,
        parent_id -> Nullable<Uuid>,
        position -> Integer,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    listings (id) {
        id -> Uuid,
        seller_id -> Uuid,
        sku -> Text,
        title -> Text,
        description -> Text,
        category_id -> Uuid,
        unit -> Text,
        moq -> Integer,
        stock -> Integer,
        price_cents -> BigInt,
        lead_time_days -> Integer,
        origin_province -> Text,
        warehouse -> Text,
        export_markets -> Text,
        brand -> Nullable<Text>,
        hs_code -> Nullable<Text>,
        status -> Text,
        status_note -> Nullable<Text>,
        search_text -> Text,
        search_rowid -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        reinstatement_requested_at -> Nullable<Timestamp>,
        reinstatement_note -> Nullable<Text>,
        title_en -> Nullable<Text>,
        description_en -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    listing_price_tiers (listing_id, min_qty) {
        listing_id -> Uuid,
        min_qty -> Integer,
        unit_price_cents -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    listing_certifications (listing_id, code) {
        listing_id -> Uuid,
        code -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    listing_images (id) {
        id -> Uuid,
        listing_id -> Uuid,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    zones (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        description -> Text,
        kind -> Text,
        status -> Text,
        operator_id -> Uuid,
        starts_at -> Nullable<Timestamp>,
        ends_at -> Nullable<Timestamp>,
        green_channel_auto_approve -> Bool,
        budget_cents -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    zone_categories (zone_id, category_id) {
        zone_id -> Uuid,
        category_id -> Uuid,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    zone_required_certifications (zone_id, code) {
        zone_id -> Uuid,
        code -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    zone_applications (id) {
        id -> Uuid,
        zone_id -> Uuid,
        listing_id -> Uuid,
        exporter_id -> Uuid,
        status -> Text,
        zone_price_cents -> Nullable<BigInt>,
        note -> Nullable<Text>,
        curator_note -> Nullable<Text>,
        green_channel -> Bool,
        review_due_at -> Timestamp,
        featured -> Bool,
        position -> Integer,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Uuid>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    orders (id) {
        id -> Uuid,
        buyer_id -> Uuid,
        seller_id -> Uuid,
        placed_by -> Uuid,
        zone_id -> Nullable<Uuid>,
        quote_id -> Nullable<Uuid>,
        status -> Text,
        total_cents -> BigInt,
        delivery_address -> Text,
        delivery_province -> Text,
        note -> Nullable<Text>,
        carrier -> Nullable<Text>,
        tracking_number -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        consignee_name -> Nullable<Text>,
        consignee_phone -> Nullable<Text>,
        requested_delivery_date -> Nullable<Date>,
        terms_kind -> Text,
        terms_net_days -> Nullable<Integer>,
        terms_deposit_percent -> Nullable<Integer>,
        remittance_ref -> Nullable<Text>,
        due_on -> Nullable<Date>,
        paid_cents -> BigInt,
        refunded_cents -> BigInt,
        paid_on -> Nullable<Date>,
        reminded_stage -> Integer,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    order_lines (order_id, line_no) {
        order_id -> Uuid,
        line_no -> Integer,
        listing_id -> Nullable<Uuid>,
        quantity -> Integer,
        unit_price_cents -> BigInt,
        total_cents -> BigInt,
        title -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    order_events (id) {
        id -> Uuid,
        order_id -> Uuid,
        status -> Text,
        by_user -> Uuid,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    idempotency_keys (buyer_id, idempotency_key) {
        buyer_id -> Uuid,
        idempotency_key -> Text,
        request_hash -> Text,
        response_status -> Integer,
        response_body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    reviews (id) {
        id -> Uuid,
        order_id -> Uuid,
        buyer_id -> Uuid,
        seller_id -> Uuid,
        rating -> Integer,
        comment -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    purchase_requests (id) {
        id -> Uuid,
        buyer_id -> Uuid,
        created_by -> Uuid,
        title -> Text,
        category_id -> Uuid,
        description -> Text,
        quantity -> Integer,
        unit -> Text,
        target_unit_price_cents -> Nullable<BigInt>,
        delivery_province -> Text,
        needed_by -> Date,
        expires_at -> Timestamp,
        visibility -> Text,
        zone_id -> Nullable<Uuid>,
        green_channel -> Bool,
        payment_terms_days -> Nullable<Integer>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    purchase_request_certifications (request_id, code) {
        request_id -> Uuid,
        code -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    purchase_request_invitations (request_id, exporter_id) {
        request_id -> Uuid,
        exporter_id -> Uuid,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    quotes (id) {
        id -> Uuid,
        request_id -> Uuid,
        exporter_id -> Uuid,
        status -> Text,
        unit_price_cents -> BigInt,
        quantity -> Integer,
        lead_time_days -> Integer,
        valid_until -> Timestamp,
        listing_id -> Nullable<Uuid>,
        message -> Nullable<Text>,
        revision -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    quote_revisions (id) {
        id -> Uuid,
        quote_id -> Uuid,
        revision -> Integer,
        unit_price_cents -> BigInt,
        quantity -> Integer,
        lead_time_days -> Integer,
        valid_until -> Timestamp,
        listing_id -> Nullable<Uuid>,
        message -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(quotes -> purchase_requests (request_id));
diesel::joinable!(order_lines -> orders (order_id));
diesel::joinable!(order_lines -> listings (listing_id));
diesel::joinable!(order_events -> orders (order_id));
diesel::joinable!(zones -> organizations (operator_id));
diesel::joinable!(zone_categories -> zones (zone_id));
diesel::joinable!(zone_required_certifications -> zones (zone_id));
diesel::joinable!(zone_applications -> zones (zone_id));
diesel::joinable!(zone_applications -> listings (listing_id));
diesel::joinable!(listings -> organizations (seller_id));
diesel::joinable!(listings -> categories (category_id));
diesel::joinable!(listing_price_tiers -> listings (listing_id));
diesel::joinable!(listing_certifications -> listings (listing_id));
diesel::joinable!(listing_images -> listings (listing_id));
diesel::joinable!(users -> organizations (organization_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(web_sessions -> users (user_id));
diesel::joinable!(procurement_list_items -> listings (listing_id));
diesel::joinable!(one_time_tokens -> users (user_id));
diesel::joinable!(notifications -> users (user_id));

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    seller_terms (seller_id) {
        seller_id -> Uuid,
        kind -> Text,
        net_days -> Nullable<Integer>,
        deposit_percent -> Nullable<Integer>,
        credit_limit_cents -> Nullable<BigInt>,
        bank_name -> Nullable<Text>,
        bank_account_name -> Nullable<Text>,
        bank_account_no -> Nullable<Text>,
        updated_by -> Uuid,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    credit_grants (id) {
        id -> Uuid,
        seller_id -> Uuid,
        buyer_id -> Uuid,
        kind -> Text,
        net_days -> Nullable<Integer>,
        deposit_percent -> Nullable<Integer>,
        credit_limit_cents -> Nullable<BigInt>,
        note -> Nullable<Text>,
        granted_by -> Uuid,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    bank_statements (id) {
        id -> Uuid,
        seller_id -> Uuid,
        file_name -> Text,
        imported_by -> Uuid,
        imported_at -> Timestamp,
        line_count -> Integer,
        matched_count -> Integer,
        review_count -> Integer,
        duplicate_count -> Integer,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    statement_lines (id) {
        id -> Uuid,
        statement_id -> Uuid,
        seller_id -> Uuid,
        row_no -> Integer,
        booked_on -> Date,
        amount_cents -> BigInt,
        allocated_cents -> BigInt,
        payer_name -> Nullable<Text>,
        payer_account -> Nullable<Text>,
        memo -> Nullable<Text>,
        bank_ref -> Nullable<Text>,
        reference -> Nullable<Text>,
        status -> Text,
        note -> Nullable<Text>,
        fingerprint -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    payment_entries (id) {
        id -> Uuid,
        order_id -> Uuid,
        seller_id -> Uuid,
        buyer_id -> Uuid,
        kind -> Text,
        amount_cents -> BigInt,
        line_id -> Nullable<Uuid>,
        reverses_id -> Nullable<Uuid>,
        reversed -> Bool,
        note -> Nullable<Text>,
        by_user -> Uuid,
        booked_on -> Date,
        created_at -> Timestamp,
    }
}

diesel::joinable!(payment_entries -> orders (order_id));
diesel::joinable!(statement_lines -> bank_statements (statement_id));

diesel::allow_tables_to_appear_in_same_query!(
    seller_terms,
    credit_grants,
    bank_statements,
    statement_lines,
    payment_entries,
    organizations,
    users,
    web_sessions,
    procurement_list_items,
    refresh_tokens,
    one_time_tokens,
    login_attempts,
    audit_log,
    outbox,
    notifications,
    categories,
    listings,
    listing_price_tiers,
    listing_certifications,
    listing_images,
    zones,
    zone_categories,
    zone_required_certifications,
    zone_applications,
    orders,
    order_lines,
    order_events,
    idempotency_keys,
    reviews,
    purchase_requests,
    purchase_request_certifications,
    purchase_request_invitations,
    quotes,
    quote_revisions,
);

diesel::table! {
    search_index_state (id) {
        id -> Integer,
        version -> Integer,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    invoice_profiles (id) {
        id -> Uuid,
        org_id -> Uuid,
        title -> Text,
        taxpayer_id -> Text,
        address -> Nullable<Text>,
        phone -> Nullable<Text>,
        bank_name -> Nullable<Text>,
        bank_account -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    invoices (id) {
        id -> Uuid,
        order_id -> Uuid,
        seller_id -> Uuid,
        buyer_id -> Uuid,
        kind -> Text,
        status -> Text,
        title -> Text,
        taxpayer_id -> Text,
        address -> Nullable<Text>,
        phone -> Nullable<Text>,
        bank_name -> Nullable<Text>,
        bank_account -> Nullable<Text>,
        requested_cents -> BigInt,
        request_note -> Nullable<Text>,
        requested_by -> Uuid,
        requested_at -> Timestamp,
        number -> Nullable<Text>,
        issued_on -> Nullable<Date>,
        amount_cents -> Nullable<BigInt>,
        file_name -> Nullable<Text>,
        file_type -> Nullable<Text>,
        file_size -> Nullable<Integer>,
        issued_by -> Nullable<Uuid>,
        issued_at -> Nullable<Timestamp>,
        close_reason -> Nullable<Text>,
        close_note -> Nullable<Text>,
        reversal_number -> Nullable<Text>,
        closed_by -> Nullable<Uuid>,
        closed_at -> Nullable<Timestamp>,
        closed_on -> Nullable<Date>,
    }
}

diesel::joinable!(invoices -> orders (order_id));
diesel::allow_tables_to_appear_in_same_query!(invoices, orders);
diesel::allow_tables_to_appear_in_same_query!(invoices, organizations);

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    after_sales_cases (id) {
        id -> Uuid,
        order_id -> Uuid,
        seller_id -> Uuid,
        buyer_id -> Uuid,
        status -> Text,
        version -> Integer,
        remedy -> Text,
        reason -> Text,
        asked_cents -> BigInt,
        order_status_before -> Text,
        respond_by -> Timestamp,
        deadline_told -> Bool,
        offer_remedy -> Nullable<Text>,
        offer_cents -> Nullable<BigInt>,
        offer_note -> Nullable<Text>,
        refuse_note -> Nullable<Text>,
        outcome_remedy -> Nullable<Text>,
        outcome_cents -> Nullable<BigInt>,
        decided_by -> Nullable<Uuid>,
        decision_note -> Nullable<Text>,
        return_note -> Nullable<Text>,
        settle_note -> Nullable<Text>,
        opened_by -> Uuid,
        opened_at -> Timestamp,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Uuid;

    after_sales_lines (case_id, line_no) {
        case_id -> Uuid,
        line_no -> Integer,
        quantity -> Integer,
    }
}
