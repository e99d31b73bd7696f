//! klipy-sdk
