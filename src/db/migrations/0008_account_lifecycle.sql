-- Reserved for account lifecycle; filled in by the change that needs it.
select 1;
