"""AI data centers inside the adequacy model: power, flexibility, contracts, emergency order, outages.

Modules
-------
power : accelerators, site power, PUE, utilisation profiles
throughput : job classes, throughput vs power cap, cheapest power reduction
resources : site battery, on-site generation, compute flexibility
contracts : firm, connect-and-manage, capped curtailment, energy budget
emergency : the per-period emergency-order kernels (numba)
order : sites, demand response, emergency order; packing into kernel arrays
outages : rotating outages and the people they reach
metrics : results for residents and for each data center
system : DataCenterSystem, a grid with sites for the sequential Monte Carlo (``assess``)
"""
