# The Miner's Pass (a monthly Stars subscription): /pass, its invoice, renewals, notices.
# Same rules as starmine.ftl: every language has the English messages and placeholders.
