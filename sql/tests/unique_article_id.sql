-- article_id identifies one article.
SELECT article_id, count(*) AS n FROM articles GROUP BY article_id HAVING count(*) > 1
