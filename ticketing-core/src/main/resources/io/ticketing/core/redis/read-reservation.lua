-- ARGV: reservation id. The reservation (see reservation), or false.
return reservation(ARGV[1]) or false
