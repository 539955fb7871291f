//! Delivery: the reports sent where people read them (this file is replaced by the delivery module).

pub mod mail;
