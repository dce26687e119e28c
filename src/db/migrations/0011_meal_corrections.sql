-- Reserved for meal corrections; filled in by the change that needs it.
select 1;
