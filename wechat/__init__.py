"""WeChat's side of things, apart from the webhook: the server API client (access_token, customer-service messages,
the custom menu), a simulator that signs and encrypts pushes as WeChat's server does, and the terminal chat."""
