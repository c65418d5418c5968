"""The REST API of referrals, live consults and on-duty status: `serializers` (input and output),
`viewsets` (endpoints: parse, call selectors/services, map errors, shape output), `schema` (the
documented errors and parameters) and `urls` (included under /api/v1/)."""
