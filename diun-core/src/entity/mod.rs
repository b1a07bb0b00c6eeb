//! SeaORM entities of the four tables. They stay inside the crate: services
//! convert them into the domain types of [`crate::model`].

pub(crate) mod event;
pub(crate) mod tag;
pub(crate) mod tag_assignment;
pub(crate) mod update;
