"""A member's export (storage.privacy.export), their erasure (storage.privacy.erasure, with
storage.privacy.traces for what others were sent or wrote about them) and the retention purge
(storage.privacy.retention); storage.privacy.repository puts them behind the core's
PrivacyRepository."""
