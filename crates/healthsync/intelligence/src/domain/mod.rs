//! The rules of the Intelligence context: the mission catalogue, the recommendation, and
//! the texts the rules write.

pub mod catalogue;
pub mod diagnosis;
pub mod faq;
pub mod recommend;
pub mod safety;
pub mod texts;
