//! Companies: records indexed by id and lower-cased domain.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::fields::{check_strings, required_string, Mode};
use super::view::{Record, View, MAX_KNOWN};
use super::{unique_id, Store};
use crate::error::{ApiError, FieldErrors};

/// Company fields of the contract, in the order they are returned.
const COMPANY_FIELDS: [&str; 5] = ["name", "domain", "industry", "size", "website"];
const _: () = assert!(COMPANY_FIELDS.len() <= MAX_KNOWN);

#[derive(Debug)]
struct Company {
    record: Record,
    domain_key: Option<String>,
}

impl Company {
    fn view(&self) -> View<'_> {
        self.record.view(&COMPANY_FIELDS)
    }
}

#[derive(Debug, Default)]
pub(super) struct Companies {
    by_id: HashMap<String, Company>,
    by_domain: HashMap<String, String>,
}

impl Companies {
    pub fn len(&self) -> usize {
        self.by_id.len()
    }
}

impl Store {
    pub fn get_company(&self, id: &str) -> Result<View<'_>, ApiError> {
        self.companies.by_id.get(id).map(Company::view).ok_or_else(|| ApiError::not_found("company", id))
    }

    pub fn create_company(&mut self, mut input: Map<String, Value>, now: i64) -> Result<View<'_>, ApiError> {
        validate_company(&input, Mode::Create)?;
        let companies = &mut self.companies;
        let domain_key = normalize_domain(&mut input);
        if let Some(existing) = domain_key.as_ref().and_then(|d| companies.by_domain.get(d)) {
            return Err(ApiError::conflict("domain", "a company with this domain already exists", existing));
        }
        let record = Record::new(unique_id("cmp_", |id| companies.by_id.contains_key(id)), input, now);
        let id = record.id.clone();
        if let Some(d) = &domain_key {
            companies.by_domain.insert(d.clone(), id.clone());
        }
        Ok(companies.by_id.entry(id).or_insert(Company { record, domain_key }).view())
    }

    pub fn update_company(&mut self, id: &str, mut patch: Map<String, Value>, now: i64) -> Result<View<'_>, ApiError> {
        let companies = &mut self.companies;
        if !companies.by_id.contains_key(id) {
            return Err(ApiError::not_found("company", id));
        }
        validate_company(&patch, Mode::Patch)?;
        let new_domain = normalize_domain(&mut patch);
        if let Some(other) = new_domain.as_ref().and_then(|d| companies.by_domain.get(d)) {
            if other != id {
                return Err(ApiError::conflict("domain", "another company has this domain", other));
            }
        }
        let Some(company) = companies.by_id.get_mut(id) else {
            return Err(ApiError::not_found("company", id));
        };
        let domain_given = patch.contains_key("domain");
        company.record.apply(patch, now);
        if domain_given && new_domain != company.domain_key {
            if let Some(old) = company.domain_key.take() {
                companies.by_domain.remove(&old);
            }
            if let Some(new) = &new_domain {
                companies.by_domain.insert(new.clone(), id.to_owned());
            }
            company.domain_key = new_domain;
        }
        Ok(company.view())
    }

    pub fn delete_company(&mut self, id: &str) -> Result<Value, ApiError> {
        let company = self.companies.by_id.remove(id).ok_or_else(|| ApiError::not_found("company", id))?;
        if let Some(d) = &company.domain_key {
            self.companies.by_domain.remove(d);
        }
        Ok(company.record.deleted())
    }
}

fn validate_company(input: &Map<String, Value>, mode: Mode) -> Result<(), ApiError> {
    let mut errors = FieldErrors::default();
    if let Some(name) = required_string(input, "name", mode, &mut errors) {
        if name.trim().is_empty() {
            errors.add("name", "must not be empty");
        }
    }
    if let Some(Value::String(domain)) = input.get("domain") {
        let domain = domain.trim();
        if domain.is_empty() || domain.chars().any(char::is_whitespace) {
            errors.add("domain", "must be a domain like example.com");
        }
    }
    check_strings(input, &COMPANY_FIELDS[1..], &mut errors);
    errors.into_result()
}

/// Lower-cases (and trims) a given `domain` in place; returns the index key if one is set.
fn normalize_domain(fields: &mut Map<String, Value>) -> Option<String> {
    match fields.get_mut("domain") {
        Some(Value::String(domain)) => {
            *domain = domain.trim().to_lowercase();
            Some(domain.clone())
        }
        _ => None,
    }
}
