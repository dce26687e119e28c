-- Reserved for routines limits; filled in by the change that needs it.
select 1;
